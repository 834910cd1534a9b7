/**
 * "AB:CD:…" (32 hex pairs) as groups of four pairs, so a person can compare it with the server
 * console a group at a time. Anything else comes back as one group, unchanged.
 */
export function fingerprintGroups(fingerprint: string, pairsPerGroup = 4): string[] {
  const pairs = fingerprint.toUpperCase().split(':');
  if (!pairs.every((p) => /^[0-9A-F]{2}$/.test(p))) return [fingerprint];
  const groups: string[] = [];
  for (let i = 0; i < pairs.length; i += pairsPerGroup) groups.push(pairs.slice(i, i + pairsPerGroup).join(':'));
  return groups;
}
