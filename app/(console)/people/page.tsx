import type { Metadata } from "next";
import Link from "next/link";
import { dateTime } from "@/components/format";
import { PersonForm } from "@/components/people/person-form";
import { AddTeamForm, RenameTeamForm } from "@/components/people/team-forms";
import { Badge, roleTone } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ChoiceSelect, Input } from "@/components/ui/field";
import { FilterActions } from "@/components/ui/filter-actions";
import { Pager } from "@/components/ui/pager";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { listTeamsWithCounts } from "@/lib/domain/teams/queries";
import { freshProofNeeded } from "@/lib/domain/users/fresh-proof";
import { canReadPeople, listUsers } from "@/lib/domain/users/queries";
import { ListUsersQuerySchema } from "@/lib/domain/users/schemas";
import { createPersonAction, createTeamAction, renameTeamAction } from "./actions";

export const metadata: Metadata = { title: "People and teams" };

type Search = Record<string, string | undefined>;

export default async function PeoplePage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  if (!canReadPeople(actor)) {
    return <PageHeader title="People and teams" description="The people list is open to admins and auditors." />;
  }
  const admin = isAdmin(actor);
  const sp = await searchParams;
  const parsed = ListUsersQuerySchema.safeParse({
    q: sp.q || undefined,
    role: sp.role || undefined,
    status: sp.status || undefined,
    teamId: sp.team || undefined,
    cursor: sp.cursor || undefined,
  });
  const [{ items, nextCursor }, teams, proof] = await Promise.all([
    listUsers(actor, parsed.success ? parsed.data : {}),
    listTeamsWithCounts(actor),
    admin ? freshProofNeeded(actor) : ("none" as const),
  ]);
  const filtered = !!(sp.q || sp.role || sp.status || sp.team);

  return (
    <>
      <PageHeader
        title="People and teams"
        description={
          admin
            ? "Who can sign in, with which role, leading which teams. Changes apply from each person's next request and are audited."
            : "Who can sign in, with which role and teams (read-only)."
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="People" />
          <form
            className="flex flex-wrap items-end gap-3 border-b border-slate-100 p-3"
            role="search"
            aria-label="Filter people"
          >
            <div className="min-w-56 flex-1">
              <label htmlFor="q" className="sr-only">
                Search
              </label>
              <Input id="q" name="q" placeholder="Search name or e-mail" defaultValue={sp.q} />
            </div>
            <ChoiceSelect
              name="role"
              aria-label="Role"
              value={sp.role}
              any="Any role"
              choices={["admin", { value: "team_lead", label: "team lead" }, "auditor", "viewer"]}
              className="w-40"
            />
            <ChoiceSelect
              name="team"
              aria-label="Team"
              value={sp.team}
              any="Any team"
              choices={teams.map((t) => ({ value: t.id, label: t.name }))}
              className="w-48"
            />
            <ChoiceSelect
              name="status"
              aria-label="Status"
              value={sp.status}
              any="Any status"
              choices={["active", { value: "disabled", label: "deactivated" }]}
              className="w-40"
            />
            <FilterActions clearHref="/people" filtered={filtered} />
          </form>
          {!parsed.success ? (
            <p className="px-4 pt-3 text-sm text-rose-600">Some filters were invalid and were ignored.</p>
          ) : null}
          {items.length === 0 ? (
            <EmptyState title={filtered ? "Nobody matches these filters." : "Nobody yet."} />
          ) : (
            <Table>
              <thead className="bg-slate-50">
                <tr>
                  <Th>Person</Th>
                  <Th>Role</Th>
                  <Th className={WIDE}>Teams</Th>
                  <Th className={WIDE}>Signs in with</Th>
                  <Th>Status</Th>
                  <Th className={WIDE}>Added</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100" data-testid="people-rows">
                {items.map((p) => (
                  <tr
                    key={p.id}
                    className={p.status === "disabled" ? "bg-slate-50 text-slate-500" : "hover:bg-slate-50"}
                  >
                    <Td>
                      <Link href={`/people/${p.id}`} className="font-medium text-slate-900 hover:text-indigo-600">
                        {p.name}
                      </Link>
                      <div className="text-xs text-slate-500">{p.email}</div>
                      {/* On a phone the other columns ride under the person. */}
                      <div className="whitespace-normal text-xs text-slate-500 sm:hidden">
                        {p.teams.length ? `${p.teams.map((t) => t.name).join(", ")} · ` : null}
                        {p.signIn === "password" ? "password" : "SSO only"} · added {dateTime(p.createdAt, tz)}
                      </div>
                    </Td>
                    <Td>
                      <Badge tone={roleTone[p.role]}>{p.role.replace("_", " ")}</Badge>
                    </Td>
                    <Td className={WIDE}>
                      {p.teams.length ? (
                        p.teams.map((t) => t.name).join(", ")
                      ) : (
                        <span className="text-slate-500">—</span>
                      )}
                    </Td>
                    <Td className={WIDE}>{p.signIn === "password" ? "password" : "SSO only"}</Td>
                    <Td>
                      {p.status === "active" ? (
                        <Badge tone="green">active</Badge>
                      ) : (
                        <Badge tone="red">deactivated</Badge>
                      )}
                    </Td>
                    <Td className={cn(WIDE, "text-slate-500")}>{dateTime(p.createdAt, tz)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <Pager path="/people" search={sp} shown={items.length} nextCursor={nextCursor} />
        </Card>

        {admin ? (
          <Card>
            <CardHeader
              title="Add a person"
              description="They sign in with their e-mail and this password, or through SSO when it is configured (SSO then keeps role and teams in line with the identity provider)."
            />
            <PersonForm action={createPersonAction} teams={teams} submitLabel="Add person" proof={proof} />
          </Card>
        ) : null}

        <Card>
          <CardHeader
            title="Teams"
            description="Agents, budgets and spend roll up to teams; team leads see only theirs."
          />
          {admin ? <AddTeamForm action={createTeamAction} /> : null}
          {teams.length === 0 ? (
            <EmptyState title="No teams yet." />
          ) : (
            <Table>
              <thead className="bg-slate-50">
                <tr>
                  <Th>Team</Th>
                  <Th className={WIDE}>Slug</Th>
                  <Th className={cn(WIDE, "text-right")}>Agents</Th>
                  <Th className={cn(WIDE, "text-right")}>People</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100" data-testid="team-rows">
                {teams.map((t) => (
                  <tr key={t.id}>
                    <Td>
                      {admin ? <RenameTeamForm action={renameTeamAction.bind(null, t.id)} name={t.name} /> : t.name}
                      {/* On a phone the slug and counts ride under the name. */}
                      <div className="mt-1 text-xs text-slate-500 sm:hidden">
                        <span className="font-mono">{t.slug}</span> ·{" "}
                        <Link className="text-indigo-700 underline" href={`/agents?team=${t.id}`}>
                          {t.agents === 1 ? "1 agent" : `${t.agents} agents`}
                        </Link>{" "}
                        ·{" "}
                        <Link className="text-indigo-700 underline" href={`/people?team=${t.id}`}>
                          {t.members === 1 ? "1 person" : `${t.members} people`}
                        </Link>
                      </div>
                    </Td>
                    <Td className={cn(WIDE, "font-mono text-xs")}>{t.slug}</Td>
                    <Td className={cn(WIDE, "text-right tabular-nums")}>
                      <Link className="hover:text-indigo-600" href={`/agents?team=${t.id}`}>
                        {t.agents}
                      </Link>
                    </Td>
                    <Td className={cn(WIDE, "text-right tabular-nums")}>
                      <Link className="hover:text-indigo-600" href={`/people?team=${t.id}`}>
                        {t.members}
                      </Link>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
