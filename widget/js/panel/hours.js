// Support hours for people: the schedule arrives as the backend stores it (local wall-clock ranges
// in the site's time zone, see server/sites/schedule.py) and is formatted with Intl in the user's
// locale, so "09:00" reads "9:00 AM" in English and "09:00" in Ukrainian.
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// 1 January 2024 was a Monday; days and times are formatted on UTC dates to avoid DST surprises.
const reference = (day, minutes = 0) => new Date(Date.UTC(2024, 0, 1 + day, 0, minutes));

const minutesOf = (text) => {
  const [hours, minutes] = text.split(':').map(Number);
  return hours * 60 + minutes;
};

/** "Open now" or "Closed · opens Monday 9:00 AM" (the next opening in the user's own time). */
export function statusLine(t, locale, site) {
  if (site.open_now) return t('hours.open_now');
  if (!site.next_opening) return t('hours.closed');
  const when = new Date(site.next_opening);
  const today = when.toDateString() === new Date().toDateString();
  const format = new Intl.DateTimeFormat(locale, {
    weekday: today ? undefined : 'long',
    hour: 'numeric',
    minute: '2-digit',
  });
  return t(today ? 'hours.opens_today' : 'hours.opens_on', { when: format.format(when) });
}

/** One row per weekday: its name, its ranges formatted, and whether it is today at the site. */
export function weekRows(locale, schedule) {
  const dayName = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  const today = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: schedule.timezone })
    .format(new Date())
    .toLowerCase();
  return DAYS.map((day, index) => ({
    day,
    name: dayName.format(reference(index)),
    today: today === day,
    ranges: (schedule.weekly[day] || []).map(([from, to]) =>
      time.formatRange(reference(index, minutesOf(from)), reference(index, minutesOf(to))),
    ),
  }));
}

/** The site's time zone as the user's locale names it, e.g. "Eastern European Time". */
export function zoneName(locale, timezone) {
  // 'longGeneric' ("Eastern European Time", whatever the season) is newer than 'long'.
  for (const timeZoneName of ['longGeneric', 'long']) {
    try {
      const parts = new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName })
        .formatToParts(new Date());
      const part = parts.find((p) => p.type === 'timeZoneName');
      if (part) return part.value;
    } catch {
      // an older engine: try the next style
    }
  }
  return timezone;
}

/** Holidays from today on, formatted as dates ("25 December 2026"). */
export function upcomingHolidays(locale, holidays) {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const today = new Date().toISOString().slice(0, 10);
  return (holidays || [])
    .filter((day) => day >= today)
    .slice(0, 5)
    .map((day) => format.format(new Date(`${day}T00:00:00Z`)));
}
