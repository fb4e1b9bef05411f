import { Children, cloneElement, isValidElement } from "react";
import { cn } from "./cn";

const control =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:ring-rose-500 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 disabled:ring-slate-200";

type ControlProps = { id?: string; "aria-invalid"?: unknown; "aria-describedby"?: string };

/**
 * A label, its control, a hint and the field's errors. When the control is the one child (with id `htmlFor`), it is
 * marked invalid and described by its error (or hint), so a screen reader reads the error with the field.
 */
export function Field({
  label,
  htmlFor,
  error,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  error?: string[];
  hint?: string;
  children: React.ReactNode;
}) {
  const invalid = !!error?.length;
  const describedBy = invalid ? `${htmlFor}-error` : hint ? `${htmlFor}-hint` : undefined;
  const only = Children.count(children) === 1 ? Children.only(children) : null;
  const control =
    isValidElement<ControlProps>(only) && only.props.id === htmlFor
      ? cloneElement(only, {
          "aria-invalid": only.props["aria-invalid"] ?? (invalid || undefined),
          "aria-describedby":
            [only.props["aria-describedby"], describedBy].filter((v, i, all) => v && all.indexOf(v) === i).join(" ") ||
            undefined,
        })
      : children;
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {control}
      {hint && !invalid ? (
        <p id={`${htmlFor}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p id={`${htmlFor}-error`} className="text-xs text-rose-700">
          {error?.join("; ")}
        </p>
      ) : null}
    </div>
  );
}

export function Input({ className, ...props }: React.ComponentProps<"input">) {
  return <input className={cn(control, className)} {...props} />;
}

export function Select({ className, ...props }: React.ComponentProps<"select">) {
  return <select className={cn(control, "pr-8", className)} {...props} />;
}

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea className={cn(control, "font-mono text-xs", className)} {...props} />;
}

/** A choice: a value, or a value with the text shown for it. */
export type Choice = string | { value: string; label: string };

/** A filter's select: "any" (the empty value) first, then the choices. */
export function ChoiceSelect({
  any,
  choices,
  value,
  ...props
}: { any: string; choices: readonly Choice[]; value?: string } & Omit<
  React.SelectHTMLAttributes<HTMLSelectElement>,
  "value" | "defaultValue" | "children"
>) {
  return (
    <Select defaultValue={value ?? ""} {...props}>
      <option value="">{any}</option>
      {choices.map((c) => {
        const { value: v, label } = typeof c === "string" ? { value: c, label: c } : c;
        return (
          <option key={v} value={v}>
            {label}
          </option>
        );
      })}
    </Select>
  );
}

const inDays = (d: number) => (d === 365 ? "in a year" : `in ${d} days`);

/** How long a secret lives (`expiresInDays`): the given day counts, then "never" when allowed; 90 days by default. */
export function ExpirySelect({ id, days, never }: { id: string; days: readonly number[]; never?: boolean }) {
  return (
    <Select id={id} name="expiresInDays" defaultValue="90">
      {days.map((d) => (
        <option key={d} value={d}>
          {inDays(d)}
        </option>
      ))}
      {never ? <option value="never">never</option> : null}
    </Select>
  );
}

/** A labelled text input with its hint and errors: the input is marked invalid and described by its error. */
export function TextField({
  label,
  id,
  error,
  hint,
  className,
  ...props
}: { label: string; id: string; error?: string[]; hint?: string } & React.ComponentProps<"input">) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input
        id={id}
        aria-invalid={!!error?.length}
        aria-describedby={error?.length ? `${id}-error` : undefined}
        className={className}
        {...props}
      />
    </Field>
  );
}
