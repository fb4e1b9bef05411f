"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "./button";

/** Selects the text of `el` so the person can copy it with the keyboard when the clipboard API is unavailable. */
function selectText(el: HTMLElement) {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(el);
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * "Copy" for a secret shown once: copies `text` to the clipboard and announces "Copied" (aria-live). Without the
 * clipboard API (an insecure origin, a refused permission) it selects the secret in `target` and says to press
 * Ctrl+C instead.
 */
export function CopyButton({ text, target }: { text: string; target: React.RefObject<HTMLElement | null> }) {
  const [said, setSaid] = useState<"" | "Copied" | "Selected: press Ctrl+C (⌘C) to copy">("");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const announce = (message: typeof said) => {
    setSaid(message);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setSaid(""), 4000);
  };
  const copy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      announce("Copied");
    } catch {
      if (target.current) selectText(target.current);
      announce("Selected: press Ctrl+C (⌘C) to copy");
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Button type="button" variant="secondary" className="px-2 py-1 text-xs" onClick={() => void copy()}>
        {said === "Copied" ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
        Copy
      </Button>
      <span aria-live="polite" className="text-xs text-slate-700">
        {said}
      </span>
    </span>
  );
}
