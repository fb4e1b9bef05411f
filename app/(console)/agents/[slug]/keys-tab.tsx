import { IssueKeyForm, RotateKeyForm } from "@/components/agents/key-controls";
import { ago, dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FreshProofNote } from "@/components/ui/fresh-proof";
import { Table, Td, Th } from "@/components/ui/table";
import type { Actor } from "@/lib/domain/actor";
import { agentKeys } from "@/lib/domain/keys/queries";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { freshProofNeeded } from "@/lib/domain/users/fresh-proof";
import { createKeyAction, revokeKeyAction, rotateKeyAction } from "../actions";

/** The Keys tab: the agent's API keys, issued, rotated and revoked here by admins. */
export async function KeysTab({
  agent,
  actor,
  canEdit,
}: {
  agent: { id: string; slug: string };
  actor: Actor;
  canEdit: boolean;
}) {
  const [keys, tz, proof] = await Promise.all([
    agentKeys(agent),
    consoleTimeZone(),
    canEdit ? freshProofNeeded(actor) : ("none" as const),
  ]);
  const now = Date.now();
  return (
    <Card>
      <CardHeader
        title="API keys"
        description="Keys the agent runtime sends as Authorization: Bearer acp_ak_…. The secret is shown once; only a hash is stored."
      />
      {canEdit ? (
        <>
          <FreshProofNote proof={proof} doing="issue or rotate a key" className="px-4 pt-4" />
          <IssueKeyForm action={createKeyAction.bind(null, agent.id, agent.slug)} askPassword={proof === "password"} />
        </>
      ) : null}
      {keys.length === 0 ? (
        <EmptyState title="No keys issued for this agent.">
          {canEdit ? "Issue one above for its runtime." : "An admin issues keys."}
        </EmptyState>
      ) : (
        <Table>
          <thead className="bg-slate-50">
            <tr>
              <Th>Name</Th>
              <Th>Prefix</Th>
              <Th>Status</Th>
              <Th>Created</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              {canEdit ? <Th /> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="key-rows">
            {keys.map((k) => {
              const expired = !!k.expiresAt && k.expiresAt.getTime() <= now;
              const live = !k.revokedAt && !expired;
              return (
                <tr key={k.id}>
                  <Td>{k.name}</Td>
                  <Td className="font-mono text-xs">{k.prefix}…</Td>
                  <Td>
                    {k.revokedAt ? (
                      <Badge tone="red">revoked</Badge>
                    ) : expired ? (
                      <Badge tone="gray">expired</Badge>
                    ) : k.rotatedToId ? (
                      <Badge tone="amber">rotating out</Badge>
                    ) : (
                      <Badge tone="green">active</Badge>
                    )}
                  </Td>
                  <Td>{dateTime(k.createdAt, tz)}</Td>
                  <Td>{k.expiresAt ? dateTime(k.expiresAt, tz) : "never"}</Td>
                  <Td>{ago(k.lastUsedAt)}</Td>
                  {canEdit ? (
                    <Td className="text-right">
                      {live ? (
                        <div className="flex items-start justify-end gap-2">
                          {!k.rotatedToId ? (
                            <RotateKeyForm
                              keyId={k.id}
                              name={k.name}
                              action={rotateKeyAction.bind(null, agent.id, agent.slug, k.id)}
                              askPassword={proof === "password"}
                            />
                          ) : null}
                          <form action={revokeKeyAction.bind(null, agent.id, agent.slug, k.id)}>
                            <ConfirmSubmit
                              message={[
                                `Revoke key "${k.name}" (${k.prefix})?`,
                                "Runtimes using it get 401 from now on.",
                              ]}
                            >
                              Revoke
                            </ConfirmSubmit>
                          </form>
                        </div>
                      ) : null}
                    </Td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
