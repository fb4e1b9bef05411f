import { z } from "zod";

export const WebhookEndpointInputSchema = z.object({
  name: z.string().trim().min(1, "give it a name").max(100),
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL, e.g. https://hooks.example.com/acp" }).max(2000),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInputSchema>;
