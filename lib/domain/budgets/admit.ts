/**
 * Budget arithmetic shared by the runtime's authorize (where the same condition runs inside one conditional
 * UPDATE, atomically) and the console's simulator (which only reads). `spent` and `reserved` are before
 * this call's `amount` is reserved.
 */
export function budgetAdmits(
  b: { limitMicros: bigint; hardAction: string },
  spent: bigint,
  reserved: bigint,
  amount: bigint,
): boolean {
  if (b.hardAction !== "block") return true;
  return spent + reserved + amount <= b.limitMicros && spent + reserved < b.limitMicros;
}

/** Is the budget exhausted once `amount` is reserved (what turns a `degrade` budget into the fallback model)? */
export function budgetOver(limitMicros: bigint, spent: bigint, reserved: bigint, amount: bigint): boolean {
  return spent + reserved + amount > limitMicros || spent + reserved >= limitMicros;
}
