"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { registerAgent } from "@/lib/domain/agents/register-agent";
import { updateAgent } from "@/lib/domain/agents/update-agent";
import { actionError, jsonField, type ActionState } from "@/lib/http/action-result";

const text = (f: FormData, k: string) => String(f.get(k) ?? "");

export async function registerAgentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let slug: string;
  try {
    const agent = await registerAgent(actor, await requestMeta(), {
      slug: text(form, "slug"),
      name: text(form, "name"),
      description: text(form, "description"),
      teamId: text(form, "teamId"),
      environment: text(form, "environment") as "dev",
      ownerId: text(form, "ownerId") || null,
      config: {
        model: text(form, "model"),
        fallbackModel: text(form, "fallbackModel") || null,
        systemPrompt: text(form, "systemPrompt"),
        tools: text(form, "tools").split(/[\n,]/).map((t) => t.trim()).filter(Boolean),
        parameters: jsonField(form.get("parameters"), "config.parameters") as Record<string, unknown>,
        extra: jsonField(form.get("extra"), "config.extra") as Record<string, unknown>,
      },
    });
    slug = agent.slug;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/agents");
  redirect(`/agents/${slug}?registered=1`);
}

export async function updateAgentAction(agentId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let slug: string;
  try {
    const agent = await updateAgent(actor, await requestMeta(), agentId, {
      name: text(form, "name"),
      description: text(form, "description"),
      teamId: text(form, "teamId"),
      environment: text(form, "environment") as "dev",
      ownerId: text(form, "ownerId") || null,
    });
    slug = agent.slug;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  redirect(`/agents/${slug}?saved=1`);
}
