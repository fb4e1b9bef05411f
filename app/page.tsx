import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/session";

/** Team leads land on their teams' spend; everyone else on the agent registry. */
export default async function Home() {
  const actor = await getSessionActor();
  redirect(actor?.role === "team_lead" ? "/spend" : "/agents");
}
