import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

/** Look a person up by the name agents give them in onBehalfOf: a plain GET form, so the result has its own URL. */
export function PersonSearch({ value }: { value?: string }) {
  return (
    <form action="/lineage" method="get" role="search" className="flex flex-wrap items-end gap-3 p-4">
      <div className="min-w-0 flex-1 basis-64">
        <TextField
          label="Person or end user"
          id="person"
          name="onBehalfOf"
          defaultValue={value}
          placeholder="alice@example.com"
          maxLength={256}
          required
        />
      </div>
      <Button type="submit">Show what agents did for them</Button>
    </form>
  );
}
