import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { dateTime } from "@/components/format";
import { PersonForm } from "@/components/people/person-form";
import { ActionButton } from "@/components/ui/action-button";
import { Badge, roleTone } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { canReadAudit } from "@/lib/domain/audit/queries";
import { DomainError } from "@/lib/domain/errors";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { listTeamsWithCounts } from "@/lib/domain/teams/queries";
import { freshProofNeeded } from "@/lib/domain/users/fresh-proof";
import { canReadPeople, getUser } from "@/lib/domain/users/queries";
import { revokeSessionsAction, setPersonStatusAction, unlinkSsoAction, updatePersonAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const actor = await requireSessionActor();
  if (!canReadPeople(actor)) return { title: "Person" };
  const person = await getUser(actor, (await params).id).catch(() => null);
  return { title: person ? `${person.name} · People` : "Not found" };
}

export default async function PersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  if (!canReadPeople(actor)) {
    return <PageHeader title="Person" description="The people list is open to admins and auditors." />;
  }
  const { id } = await params;
  const sp = await searchParams;
  const person = await getUser(actor, id).catch((err) => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  });
  const admin = isAdmin(actor);
  const [teams, proof] = await Promise.all([
    listTeamsWithCounts(actor),
    admin ? freshProofNeeded(actor) : ("none" as const),
  ]);
  const self = person.id === actor.id;
  const active = person.status === "active";
  return (
    <>
      <Breadcrumbs trail={[{ href: "/people", label: "People" }]} current={person.name} />
      <PageHeader
        title={person.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {person.email} <Badge tone={roleTone[person.role]}>{person.role.replace("_", " ")}</Badge>
            {active ? <Badge tone="green">active</Badge> : <Badge tone="red">deactivated</Badge>}
            <span className="text-slate-500">
              · added {dateTime(person.createdAt, tz)} · signs in with{" "}
              {person.signIn === "password" ? "a password" : "SSO only"}
            </span>
          </span>
        }
        actions={
          canReadAudit(actor) ? (
            <Link
              href={`/audit?targetType=user&targetId=${person.id}&excludeSignIns=false`}
              className="text-sm font-medium text-indigo-600 hover:underline"
            >
              History in the audit trail →
            </Link>
          ) : null
        }
      />
      {sp.created ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200"
        >
          {person.name} was added.
        </p>
      ) : null}
      <div className="space-y-6">
        {admin ? (
          <Card>
            <CardHeader title="Role, teams and password" />
            <PersonForm
              action={updatePersonAction.bind(null, person.id)}
              teams={teams}
              initial={{
                name: person.name,
                email: person.email,
                role: person.role,
                teamIds: person.teams.map((t) => t.id),
              }}
              submitLabel="Save changes"
              proof={proof}
              noPassword={
                self ? (
                  <>
                    Your own password changes in{" "}
                    <Link href="/settings" className="text-indigo-600 underline hover:text-indigo-800">
                      Settings
                    </Link>
                    , where it asks for your current one.
                  </>
                ) : person.role === "admin" ? (
                  "Admins change their own password in Settings: nobody sets another admin's."
                ) : undefined
              }
            />
          </Card>
        ) : (
          <Card>
            <CardHeader title="Teams" />
            <p className="p-4 text-sm text-slate-700">
              {person.teams.length ? person.teams.map((t) => t.name).join(", ") : "No team."}
            </p>
          </Card>
        )}
        {admin ? (
          <Card>
            <CardHeader
              title="Sessions"
              description={`Ends every console session of this person at its next request (a lost laptop, a shared computer). Their access tokens keep working: revoke those, or deactivate the person.${person.ssoLinked ? " Unlinking their single sign-on account (re-created at the provider, a new issuer or client) lets their next sign-in link them again." : ""}`}
            />
            <div className="flex flex-wrap gap-2 p-4">
              <ActionButton
                action={revokeSessionsAction.bind(null, person.id)}
                label={`Sign ${person.name} out everywhere`}
                variant="secondary"
                confirm={[
                  `Sign ${person.name} out everywhere?`,
                  `Every console session they have ends now${self ? ", yours included" : ""}.`,
                ]}
              >
                Sign {person.name} out everywhere
              </ActionButton>
              {person.ssoLinked ? (
                <ActionButton
                  action={unlinkSsoAction.bind(null, person.id)}
                  label={`Unlink ${person.name}'s single sign-on account`}
                  variant="secondary"
                  confirm={[
                    `Unlink ${person.name} from their identity provider account?`,
                    "The next single sign-on with their e-mail links them again, from whichever account it comes.",
                  ]}
                >
                  Unlink single sign-on account
                </ActionButton>
              ) : null}
            </div>
          </Card>
        ) : null}
        {admin ? (
          <Card>
            <CardHeader
              title={active ? "Deactivate" : "Reactivate"}
              description={
                active
                  ? "A deactivated person cannot sign in; their sessions end and their personal access tokens are revoked, for good (reactivating revives neither). Their history stays."
                  : "They can sign in again (afresh) with their previous role and teams, and make new tokens."
              }
            />
            <div className="p-4">
              {self ? (
                <p className="text-sm text-slate-500">You cannot deactivate yourself: ask another admin.</p>
              ) : active ? (
                <ActionButton
                  action={setPersonStatusAction.bind(null, person.id, "disabled")}
                  label={`Deactivate ${person.name}`}
                  variant="destructive"
                  confirm={[`Deactivate ${person.name}?`, "They are signed out everywhere at once."]}
                >
                  Deactivate {person.name}
                </ActionButton>
              ) : (
                <ActionButton
                  action={setPersonStatusAction.bind(null, person.id, "active")}
                  label={`Reactivate ${person.name}`}
                  variant="secondary"
                >
                  Reactivate {person.name}
                </ActionButton>
              )}
            </div>
          </Card>
        ) : null}
      </div>
    </>
  );
}
