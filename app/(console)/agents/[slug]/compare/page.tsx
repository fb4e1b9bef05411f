import type { Metadata } from "next";
import { VersionDiff } from "@/components/agents/version-diff";
import { EvalComparison } from "@/components/evals/eval-comparison";
import { OutcomeComparison } from "@/components/outcomes/outcome-comparison";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, PageHeader } from "@/components/ui/card";
import { Select } from "@/components/ui/field";
import { requireSessionActor } from "@/lib/auth/session";
import { getAgent } from "@/lib/domain/agents/queries";
import { compareEvalResults } from "@/lib/domain/evals/queries";
import { agentEconomics } from "@/lib/domain/outcomes/economics";
import { compareVersions } from "@/lib/domain/versions/compare";
import { listVersions } from "@/lib/domain/versions/queries";
import { agentTitle } from "../agent-title";
import { notFoundIfMissing } from "../not-found-if-missing";

export const generateMetadata = ({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> =>
  agentTitle(params, "Compare versions");

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ a?: string; b?: string }>;
}) {
  const actor = await requireSessionActor();
  const { slug } = await params;
  const agent = await notFoundIfMissing(() => getAgent(actor, slug));
  const versions = await listVersions(actor, agent.id);
  const sp = await searchParams;
  const pick = (v: string | undefined, fallback: number | undefined) =>
    versions.find((x) => x.number === Number(v)) ?? versions.find((x) => x.number === fallback);
  const b = pick(sp.b, versions[0]?.number);
  const a = pick(sp.a, versions[1]?.number ?? versions[0]?.number);
  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/agents", label: "Agents" },
          { href: `/agents/${agent.slug}?tab=versions`, label: agent.slug },
        ]}
        current="Compare versions"
      />
      <PageHeader
        title="Compare versions"
        description="Field by field (removed lines on the left, added lines on the right), then the eval results case by case."
      />
      <form className="mb-4 flex flex-wrap items-end gap-3">
        {(["a", "b"] as const).map((k) => (
          <div key={k}>
            <label htmlFor={`v-${k}`} className="block text-sm font-medium text-slate-700">
              {k === "a" ? "From" : "To"}
            </label>
            <Select id={`v-${k}`} name={k} defaultValue={String((k === "a" ? a : b)?.number ?? "")}>
              {versions.map((v) => (
                <option key={v.id} value={v.number}>
                  v{v.number}
                  {v.deployed ? " (live)" : ""}
                </option>
              ))}
            </Select>
          </div>
        ))}
        <button
          type="submit"
          className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
        >
          Compare
        </button>
      </form>
      <div className="space-y-4">
        <Card className="p-4">
          {a && b ? (
            <VersionDiff diff={compareVersions(a, b)} left={`v${a.number}`} right={`v${b.number}`} />
          ) : (
            <p className="text-sm text-slate-500">No versions.</p>
          )}
        </Card>
        {a && b ? <VersionOutcomes actor={actor} agentId={agent.id} a={a.number} b={b.number} /> : null}
        {a && b ? (
          <EvalComparison
            suites={await compareEvalResults(agent.id, a.id, b.id)}
            left={`v${a.number}`}
            right={`v${b.number}`}
          />
        ) : null}
      </div>
    </>
  );
}

async function VersionOutcomes({
  actor,
  agentId,
  a,
  b,
}: {
  actor: Awaited<ReturnType<typeof requireSessionActor>>;
  agentId: string;
  a: number;
  b: number;
}) {
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const month = { from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() };
  const [x, y] = await Promise.all([
    agentEconomics(actor, agentId, { ...month, version: a }),
    agentEconomics(actor, agentId, { ...month, version: b }),
  ]);
  return <OutcomeComparison a={x} b={y} left={`v${a}`} right={`v${b}`} />;
}
