import { openApiDocument } from "@/lib/http/openapi";
import { ROUTES } from "./route-modules";

let cached: ReturnType<typeof openApiDocument> | null = null;

/** The document served at /api/v1/openapi.json and rendered by the console's API reference. */
export function apiDocument() {
  cached ??= openApiDocument(ROUTES);
  return cached;
}
