import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/shell/not-found-message";

export const metadata: Metadata = { title: "Not found" };

/** A missing agent, budget or person inside the console: the shell stays. */
export default function NotFound() {
  return <NotFoundMessage />;
}
