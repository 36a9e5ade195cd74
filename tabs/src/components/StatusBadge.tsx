import { Badge, type BadgeProps } from "@fluentui/react-components";
import type { CheckInStatus, OutcomeStatus } from "../api/types";
import { CHECK_IN_LABEL, STATUS_LABEL } from "./format";

const OUTCOME_COLOR: Record<OutcomeStatus, BadgeProps["color"]> = {
  draft: "informative",
  proposed: "brand",
  agreed: "success",
  at_risk: "warning",
  done: "success",
  missed: "danger",
  dropped: "subtle",
};

const CHECK_IN_COLOR: Record<CheckInStatus, BadgeProps["color"]> = {
  on_track: "success",
  at_risk: "warning",
  off_track: "danger",
  done: "success",
};

export function StatusBadge({ status }: { status: OutcomeStatus }) {
  return (
    <Badge appearance="tint" color={OUTCOME_COLOR[status]} shape="rounded">
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function CheckInBadge({ status }: { status: CheckInStatus }) {
  return (
    <Badge appearance="tint" color={CHECK_IN_COLOR[status]} shape="rounded">
      {CHECK_IN_LABEL[status]}
    </Badge>
  );
}
