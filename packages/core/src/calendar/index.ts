// The Asia/Seoul calendar KG Mobilians' monthly rule is reckoned in, for the server client and the sandbox
// alike. Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset gives Seoul's dates.
// A subpath of its own: the browser entry of the core does not carry it.

const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;

/** A calendar date in Asia/Seoul. */
export interface SeoulDate {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

/** The date in Seoul at `at`. */
export function seoulDate(at: Date): SeoulDate {
  const shifted = new Date(at.getTime() + SEOUL_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** `YYYY-MM` of a calendar month. */
export const monthKey = ({ year, month }: { year: number; month: number }): string =>
  `${year}-${String(month).padStart(2, '0')}`;

/** `YYYY-MM` of the Seoul calendar month that holds `at`. */
export const seoulMonth = (at: Date): string => monthKey(seoulDate(at));

/** How many days `month` (1 to 12) of `year` has. */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The instant of a wall-clock time in Seoul. */
export function seoulInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SEOUL_OFFSET_MS);
}

/**
 * The day of `year`-`month` on which a key first paid on `firstDay` is charged. OUR POLICY, as PortOne's
 * documents are silent: a month without that day (the 31st in April, the 29th to 31st in February) uses
 * its last day. The server client and the sandbox both reckon with this one.
 */
export function monthlyDueDay(firstDay: number, year: number, month: number): number {
  return Math.min(firstDay, daysInMonth(year, month));
}
