/**
 * What an approval was given for: the release artifact, the configuration
 * snapshot the promotion is bound to (its hash), and the deployment that ran
 * in the target phase at that moment (what the approver compared with).
 * @public
 */
export interface ApprovalBinding {
  artifact: string;
  configHash?: string;
  /** The promotion whose deployment ran in the target phase, if any. */
  targetPromotionId?: string;
}

/** A recorded approval or rejection, as the validity rule sees it. @public */
export interface ApprovalRecord extends ApprovalBinding {
  /** Set when a later change voided the decision. */
  invalidated: boolean;
}

/**
 * The one approval-validity rule (used by the inbox, the promotion detail
 * and every decision): a decision counts only while nothing it was bound to
 * has changed — not voided, same artifact, same configuration snapshot, and
 * the same deployment running in the target phase. Decisions recorded
 * before the target binding existed (`targetPromotionId` undefined on the
 * record), or judged without knowing the target (undefined in `now`; a new
 * deployment in the phase also voids approvals explicitly), are judged by
 * artifact and configuration only.
 * @public
 */
export function isApprovalValid(
  record: ApprovalRecord,
  now: ApprovalBinding,
): boolean {
  if (record.invalidated) return false;
  if (record.artifact !== now.artifact) return false;
  if ((record.configHash ?? null) !== (now.configHash ?? null)) return false;
  if (
    record.targetPromotionId !== undefined &&
    now.targetPromotionId !== undefined &&
    (record.targetPromotionId || null) !== (now.targetPromotionId || null)
  ) {
    return false;
  }
  return true;
}
