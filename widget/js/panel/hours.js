// Support hours for people: the schedule arrives as the backend stores it (local wall-clock ranges
// in the site's time zone, see server/sites/schedule.py) and is formatted with Intl in the user's
// locale, so "09:00" reads "9:00 AM" in English and "09:00" in Ukrainian. Times are the site's.
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// 1 January 2024 was a Monday; days and times are formatted on UTC dates to avoid DST surprises.
const reference = (day, minutes = 0) => new Date(Date.UTC(2024, 0, 1 + day, 0, minutes));

const minutesOf = (text) => {
  const [hours, minutes] = text.split(':').map(Number);
  return hours * 60 + minutes;
};

/**
 * "Open now" or "Closed · opens Monday 9:00 AM": the next opening on the site's clock, because that
 * is what its support team and its published hours say; when the user's clock reads another time
 * (a Kyiv help desk seen from Warsaw), the zone is named: "Monday 9:00 AM (Ukraine Time)".
 */
export function statusLine(t, locale, site, now = new Date()) {
  if (site.open_now) return t('hours.open_now');
  if (!site.next_opening) return t('hours.closed');
  const when = new Date(site.next_opening);
  const zone = site.schedule && site.schedule.timezone;
  const timeZone = zone && validZone(zone) ? zone : 'UTC';
  const day = (date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(date);
  const today = day(when) === day(now);
  const wall = (tz) => new Intl.DateTimeFormat('en-US', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }).format(when);
  const options = { timeZone, weekday: today ? undefined : 'long', hour: 'numeric', minute: '2-digit' };
  let text = new Intl.DateTimeFormat(locale, options).format(when);
  if (wall(timeZone) !== wall(undefined)) {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: zoneStyle() }).formatToParts(when);
    const zoneName = parts.find((part) => part.type === 'timeZoneName');
    if (zoneName) text = t('hours.in_zone', { time: text, zone: zoneName.value });
  }
  return t(today ? 'hours.opens_today' : 'hours.opens_on', { when: text });
}

function validZone(timeZone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// 'shortGeneric' ("Ukraine Time", whatever the season) is newer than 'short' ("GMT+2").
function zoneStyle() {
  try {
    new Intl.DateTimeFormat('en', { timeZoneName: 'shortGeneric' });
    return 'shortGeneric';
  } catch {
    return 'short';
  }
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
