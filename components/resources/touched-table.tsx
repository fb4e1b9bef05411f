import Link from "next/link";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import type { Classification } from "@/lib/domain/resources/schemas";
import { ClassificationBadge } from "./classification-badge";

type Touched = {
  items: {
    resource: string;
    catalogued: { id: string; name: string; classification: Classification } | null;
    calls: number;
    allowed: number;
    people: number;
    lastAt: string;
  }[];
  more: boolean;
};

/** The resources an agent touched: calls, how many were allowed, for how many people, and the catalogue entry. */
export function TouchedTable({ touched }: { touched: Touched }) {
  return (
    <>
      <Table>
        <thead className="bg-slate-50">
          <tr>
            <Th>Resource</Th>
            <Th className={WIDE}>Catalogued as</Th>
            <Th className="text-right">Calls</Th>
            <Th className={`${WIDE} text-right`}>Allowed</Th>
            <Th className={`${WIDE} text-right`}>People</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="touched-resources">
          {touched.items.map((t) => (
            <tr key={t.resource}>
              {/* On a phone the catalogue entry rides under the resource, and allowed and people under the calls. */}
              <Td className="whitespace-normal sm:whitespace-nowrap">
                <code className="break-all text-[13px]">{t.resource}</code>
                <div className="mt-1 sm:hidden">
                  <Catalogued t={t} />
                </div>
              </Td>
              <Td className={WIDE}>
                <Catalogued t={t} />
              </Td>
              <Td className="text-right tabular-nums">
                {t.calls.toLocaleString("en-US")}
                <p className="text-xs text-slate-500 sm:hidden">
                  {t.allowed.toLocaleString("en-US")} allowed · {t.people.toLocaleString("en-US")}{" "}
                  {t.people === 1 ? "person" : "people"}
                </p>
              </Td>
              <Td className={`${WIDE} text-right tabular-nums`}>{t.allowed.toLocaleString("en-US")}</Td>
              <Td className={`${WIDE} text-right tabular-nums`}>{t.people.toLocaleString("en-US")}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {touched.more ? (
        <p className="border-t border-slate-100 px-4 py-3 text-sm text-slate-600">
          The {touched.items.length} most called resources are shown.
        </p>
      ) : null}
    </>
  );
}

function Catalogued({ t }: { t: Touched["items"][number] }) {
  return t.catalogued ? (
    <span className="flex flex-wrap items-center gap-2">
      <Link href={`/resources/${t.catalogued.id}`} className="text-indigo-600 hover:underline">
        {t.catalogued.name}
      </Link>
      <ClassificationBadge classification={t.catalogued.classification} />
    </span>
  ) : (
    <span className="text-slate-500">not catalogued</span>
  );
}
