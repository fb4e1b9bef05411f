import { apiDocument } from "../_openapi/document";

export function GET() {
  return Response.json(apiDocument());
}
