import "server-only";
import { Prisma } from "@/lib/db/generated/client";

/**
 * SQL: an amount of micro-dollars computed in `numeric` (a sum, or a total plus what is added to it), as a bigint
 * held at the largest one a bigint column holds. Totals saturate there instead of failing: an agent may report up to
 * $1,000,000 an event and 1,000 events a batch, and once a shared total (an organisation budget's period, a spend
 * query's sum) passed the bigint range, every authorize, usage batch and spend read of the organisation would fail
 * with "bigint out of range" until the period ended. `numeric` must not be null (LEAST would ignore it).
 */
export const cappedMicros = (numeric: Prisma.Sql) => Prisma.sql`LEAST(${numeric}, 9223372036854775807)::bigint`;

/** SQL: the saturating sum of a micro-dollar column (0 when there is nothing to sum). */
export const sumMicros = (column: Prisma.Sql) => cappedMicros(Prisma.sql`COALESCE(SUM(${column}), 0)`);
