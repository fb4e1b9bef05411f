import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/shell/not-found-message";

export const metadata: Metadata = { title: "Not found" };

/** An address no route matches (outside the console, so no navigation around it). */
export default function NotFound() {
  return (
    <main id="content" className="flex min-h-screen flex-col items-center justify-center px-4">
      <div className="flex items-center gap-2">
        <div
          aria-hidden
          className="flex size-7 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white"
        >
          A
        </div>
        <span className="text-sm font-semibold tracking-tight">Agent Control Plane</span>
      </div>
      <NotFoundMessage />
    </main>
  );
}
