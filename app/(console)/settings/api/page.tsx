import type { Metadata } from "next";
import { apiDocument } from "@/app/api/v1/_openapi/document";
import { Badge, type Tone } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, PageHeader } from "@/components/ui/card";
import { SectionLinks } from "@/components/ui/section-links";
import { requireSessionActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API reference" };

/** Who may call, by security scheme (lib/http/openapi.ts). */
const CALLERS: Record<string, string> = {
  agentKey: "agent key",
  personalToken: "personal access token",
  session: "console session",
};

/** Text with `code` spans, as the document's summaries write them. */
const withCode = (text: string) =>
  text.split(/`([^`]+)`/).map((part, i) =>
    i % 2 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
      <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.85em]">
        {part}
      </code>
    ) : (
      part
    ),
  );

const METHOD_TONE: Record<string, Tone> = { get: "blue", post: "green", patch: "amber", delete: "red" };

type Operation = {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
};

/** The OpenAPI document, rendered: the same document served at /api/v1/openapi.json. */
export default async function ApiReferencePage() {
  await requireSessionActor();
  const doc = apiDocument();
  const schemas = (doc.components?.schemas ?? {}) as Record<string, unknown>;
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
  );
  // Grouped by each operation's first tag, in the order the document first names them.
  const groups = new Map<string, typeof ops>();
  for (const o of ops) {
    const tag = o.op.tags?.[0] ?? "other";
    groups.set(tag, [...(groups.get(tag) ?? []), o]);
  }
  const capitalised = (tag: string) => tag.charAt(0).toUpperCase() + tag.slice(1);
  const anchor = (tag: string) => `api-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const resolve = (s: unknown): unknown => {
    const ref = (s as { $ref?: string })?.$ref;
    return ref ? schemas[ref.split("/").pop()!] : s;
  };
  return (
    <>
      <Breadcrumbs trail={[{ href: "/settings", label: "Settings" }]} current="API reference" />
      <PageHeader
        title="API reference"
        description={
          <>
            {doc.info.description} Machine-readable:{" "}
            <a className="font-mono text-indigo-600 hover:underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI {doc.openapi}).
          </>
        }
      />
      <SectionLinks links={[...groups.keys()].map((tag) => ({ id: anchor(tag), label: capitalised(tag) }))} />
      <div className="space-y-8">
        {[...groups].map(([tag, list]) => (
          <section
            key={tag}
            id={anchor(tag)}
            aria-labelledby={`${anchor(tag)}-title`}
            className="scroll-mt-20 space-y-3 lg:scroll-mt-6"
          >
            <h2 id={`${anchor(tag)}-title`} className="text-base font-semibold text-slate-900">
              {capitalised(tag)}
            </h2>
            {list.map(({ path, method, op }) => {
              const body = op.requestBody?.content?.["application/json"]?.schema;
              return (
                <Card key={`${method} ${path}`} className="p-4">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={METHOD_TONE[method] ?? "gray"} className="w-16 justify-center font-mono uppercase">
                      {method}
                    </Badge>
                    <code className="font-mono text-sm font-medium text-slate-900 [overflow-wrap:anywhere]">
                      {path}
                    </code>
                    <span className="text-sm text-slate-600">{withCode(op.summary ?? "")}</span>
                    <span className="text-xs text-slate-500 sm:ml-auto">
                      {op.security?.flatMap((s) => Object.keys(s).map((k) => CALLERS[k] ?? k)).join(" or ")}
                    </span>
                  </div>
                  <div className="mt-2 flex flex-wrap gap-1.5 text-xs text-slate-600">
                    {Object.entries(op.responses ?? {}).map(([code, r]) => (
                      <span key={code} className="rounded bg-slate-100 px-1.5 py-0.5">
                        <span className="font-mono font-medium text-slate-700">{code}</span> {r.description}
                      </span>
                    ))}
                  </div>
                  {op.parameters?.length ? (
                    <p className="mt-2 text-xs text-slate-500">
                      Parameters:{" "}
                      {op.parameters.map((p) => `${p.name} (${p.in}${p.required ? ", required" : ""})`).join(", ")}
                    </p>
                  ) : null}
                  {body ? (
                    <details className="mt-2">
                      <summary className="cursor-pointer text-xs font-medium text-indigo-600">
                        Request body schema
                      </summary>
                      <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-3 font-mono text-xs">
                        {JSON.stringify(resolve(body), null, 2)}
                      </pre>
                    </details>
                  ) : null}
                </Card>
              );
            })}
          </section>
        ))}
      </div>
    </>
  );
}
