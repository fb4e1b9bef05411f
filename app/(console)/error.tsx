"use client";

import { SectionError } from "@/components/shell/section-error";

/** Renders inside the console layout, so a failing page keeps the navigation. */
export default function ConsoleError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError {...props} />;
}
