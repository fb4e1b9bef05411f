import { apiDocument } from "./routes";

export function GET() {
  return Response.json(apiDocument());
}
