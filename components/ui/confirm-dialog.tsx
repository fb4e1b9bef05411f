"use client";

import { TriangleAlert } from "lucide-react";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Button } from "./button";

/** What a confirmation asks: a question, optional details, the confirming button's text and how grave it is. */
export type ConfirmRequest = {
  title: string;
  details?: string;
  confirmLabel: string;
  /** `danger`: a red confirming button and the focus starts on Cancel. */
  tone?: "danger" | "primary";
};

/**
 * What a confirmation says: one sentence ("Suspend this agent? Every runtime call is denied."), split into question and
 * details at its first "? ", or the two given apart, as they must be when the question holds a name someone chose
 * (a name with "? " in it would split the sentence there).
 */
export type ConfirmText = string | readonly [question: string, details?: string];

/** A confirmation from its text (ConfirmText). */
export function confirmRequest(text: ConfirmText, confirmLabel: string, tone: ConfirmRequest["tone"] = "danger") {
  if (typeof text !== "string") return { title: text[0], details: text[1], confirmLabel, tone };
  const end = text.indexOf("? ");
  return end < 0
    ? { title: text, confirmLabel, tone }
    : { title: text.slice(0, end + 1), details: text.slice(end + 2).trim(), confirmLabel, tone };
}

/**
 * A modal confirmation on the native <dialog> (showModal): the page behind is inert, focus moves into the dialog
 * (Cancel first when the action is destructive), Escape or Cancel answers no, and focus returns to whatever had it
 * before (the button that asked). Open while `request` is set; `onAnswer` gets the answer once.
 */
export function ConfirmDialog({
  request,
  onAnswer,
}: {
  request: ConfirmRequest | null;
  onAnswer: (confirmed: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  // Rendered only while asking, so a closed dialog leaves no hidden text or buttons in the page.
  const shown = request;
  const id = useId();
  const danger = shown?.tone !== "primary";

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request && !dialog.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.returnValue = "";
      dialog.showModal();
      dialog.querySelector<HTMLElement>(request.tone === "primary" ? "[data-confirm]" : "[data-cancel]")?.focus();
    } else if (!request && dialog.open) {
      dialog.close();
    }
  }, [request]);

  return (
    <dialog
      ref={ref}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={shown?.details ? `${id}-details` : undefined}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg bg-white p-0 text-left whitespace-normal shadow-xl ring-1 ring-slate-900/10 backdrop:bg-slate-900/50"
      // Every way of closing (Cancel, confirm, Escape) ends here; only the confirming button sets "confirm".
      onClose={() => {
        const confirmed = ref.current?.returnValue === "confirm";
        returnTo.current?.focus();
        returnTo.current = null;
        onAnswer(confirmed);
      }}
    >
      {shown ? (
        <>
          <div className="flex gap-3 p-5">
            {danger ? (
              <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-rose-100">
                <TriangleAlert className="size-5 text-rose-600" aria-hidden />
              </span>
            ) : null}
            <div className="min-w-0 space-y-1">
              <h2 id={`${id}-title`} className="text-base font-semibold break-words text-slate-900">
                {shown.title}
              </h2>
              {shown.details ? (
                <p id={`${id}-details`} className="text-sm break-words text-slate-600">
                  {shown.details}
                </p>
              ) : null}
            </div>
          </div>
          <div className="flex flex-wrap justify-end gap-2 rounded-b-lg bg-slate-50 px-5 py-3">
            <Button type="button" variant="secondary" data-cancel onClick={() => ref.current?.close("cancel")}>
              Cancel
            </Button>
            <Button
              type="button"
              variant={danger ? "danger" : "primary"}
              data-confirm
              className="min-w-20"
              onClick={() => ref.current?.close("confirm")}
            >
              {shown.confirmLabel}
            </Button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}

/**
 * `ask(request)` opens the confirmation and resolves with the answer; render `dialog` where the asking control is.
 */
export function useConfirm() {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const pending = useRef<((confirmed: boolean) => void) | null>(null);
  const ask = useCallback(
    (next: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        pending.current?.(false);
        pending.current = resolve;
        setRequest(next);
      }),
    [],
  );
  const onAnswer = useCallback((confirmed: boolean) => {
    const resolve = pending.current;
    pending.current = null;
    setRequest(null);
    resolve?.(confirmed);
  }, []);
  return [ask, <ConfirmDialog key="confirm" request={request} onAnswer={onAnswer} />] as const;
}
