/** What the figures count of a check-in's free text, kept after retention clears the words. */
export interface CheckInFacts {
  /** Ideas with any text in them. */
  ideasCount: number;
  /** Whether support was asked for in words. */
  supportAsked: boolean;
}

const said = (s: string | null | undefined): boolean => !!s && s.trim().length > 0;

export function checkInFacts(c: { ideas?: readonly string[] | null; supportNeeded?: string | null }): CheckInFacts {
  return { ideasCount: (c.ideas ?? []).filter(said).length, supportAsked: said(c.supportNeeded) };
}
