import { Badge, type Tone } from "@/components/ui/badge";
import { CLASSIFICATION_LABELS, type Classification } from "@/lib/domain/resources/schemas";

const TONES: Record<Classification, Tone> = {
  public: "green",
  internal: "gray",
  confidential: "amber",
  personal: "red",
};

export function ClassificationBadge({ classification }: { classification: Classification }) {
  return <Badge tone={TONES[classification]}>{CLASSIFICATION_LABELS[classification]}</Badge>;
}
