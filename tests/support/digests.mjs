// A --now for `roundtable digests send` that makes the demo association's
// members due: soon after the present, and past 07:00 (the default digest
// hour) in Chicago (its default zone). ISO 8601 UTC.
export function afterDigestHour(from = Date.now()) {
  const hourIn = (t) => Number(new Intl.DateTimeFormat('en-US',
    { timeZone: 'America/Chicago', hour: 'numeric', hourCycle: 'h23' }).format(t));
  let t = from + 5 * 60 * 1000;
  while (hourIn(t) < 7) t += 60 * 60 * 1000;
  return new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}
