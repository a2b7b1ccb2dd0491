import type { EvidenceItem } from '../domain/types.ts';

// A lead is a change the thread reports on the failing component ("The connector was resized
// last week."): the first thing an on-call engineer checks. It is quoted, never paraphrased.

/** A reported change: "<x> was resized / upgraded / rotated …", "we changed …", "since the … deploy". */
const CHANGE =
  /\b(?:(?:was|were|got|has been|have been|had been)\s+(?:just\s+|recently\s+|also\s+)?|(?:we|they|someone|somebody|i|ops|infra)\s+(?:just\s+|recently\s+|also\s+)?)(?:resized|changed|modified|upgraded|downgraded|migrated|moved|rotated|replaced|recreated|reconfigured|updated|scaled(?:\s+(?:down|up|in|out))?|deleted|removed|renamed|redeployed|rebuilt|patched|shrunk|shrank|reduced|lowered|disabled|switched)\b/i;
/** Statements that deny a change are no lead ("nothing was changed"). */
const DENIAL = /\b(?:nothing|no one|nobody|not been|hasn't been|haven't been|wasn't|weren't|never)\b/i;

export interface FoundLead {
  quote: string;
  item: EvidenceItem;
}

/** Sentences of a human statement, outside code blocks, trimmed. */
function sentences(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '\n').replace(/`[^`\n]*`/g, (m) => m.slice(1, -1));
  return prose
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z])/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 200);
}

/**
 * The first reported change among the human statements (issue body, comments) of `ids`, in the
 * order given: callers pass the root cause's evidence first.
 */
export function findLead(ids: readonly string[], byId: ReadonlyMap<string, EvidenceItem>): FoundLead | undefined {
  for (const id of ids) {
    const item = byId.get(id);
    if (!item || (item.kind !== 'comment' && item.kind !== 'issue-body') || item.role === 'bot') continue;
    for (const s of sentences(String(item.text))) {
      if (CHANGE.test(s) && !DENIAL.test(s)) return { quote: s, item };
    }
  }
  return undefined;
}
