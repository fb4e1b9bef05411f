import { notFound } from "next/navigation";
import { DomainError } from "@/lib/domain/errors";

/** Turns a domain not_found into the 404 page. */
export async function notFoundIfMissing<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  }
}
