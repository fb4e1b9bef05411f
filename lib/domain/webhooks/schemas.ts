import { z } from "zod";
import { currentPasswordField } from "../users/schemas";
import { isMaskedUrl } from "./mask-url";

/** Node sends a URL's user name and password as Basic auth: in the URL they would be listed with it. */
export const withoutUserinfo = (url: string) => {
  try {
    const parsed = new URL(url);
    return !parsed.username && !parsed.password;
  } catch {
    return true; // the URL check says what is wrong
  }
};
export const NO_USERINFO = "no user name or password in the URL: it is listed with the endpoint";
export const MASKED = "a masked URL (…#fingerprint, as auditors read it): give the real URL";

const webhookUrl = z
  .url({ protocol: /^https?$/, error: "an http(s) URL, e.g. https://hooks.example.com/acp" })
  .max(2000)
  .refine(withoutUserinfo, NO_USERINFO);
const webhookName = z.string().trim().min(1, "give it a name").max(100);

/** An endpoint in a configuration document, where a masked URL stands for the live endpoint's (an auditor's export). */
export const WebhookDocFieldsSchema = z.object({ name: webhookName, url: webhookUrl });

export const WebhookEndpointInputSchema = z.object({
  name: webhookName,
  url: webhookUrl.refine((u) => !isMaskedUrl(u), MASKED),
  currentPassword: currentPasswordField,
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInputSchema>;

/** A delivery as logged (never its payload). */
export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventType: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "WebhookDelivery" });

/** An endpoint (never its secret). */
export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    secretPrefix: z.string(),
    disabledAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "WebhookEndpoint" });
export const WebhookEndpointWithDeliveriesSchema = WebhookEndpointSchema.extend({
  deliveries: z.array(WebhookDeliverySchema),
}).meta({ id: "WebhookEndpointWithDeliveries" });
export const NewWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().meta({ description: "The signing secret, shown only in this response." }),
}).meta({ id: "NewWebhookEndpoint" });
