/**
 * A code point's class, computed once by `classify` and remembered: the Basic Multilingual Plane in a
 * typed array filled as characters are met, other planes (emoji, historic scripts) in a map kept up to a
 * bound. `classify` must never answer 0, which marks a code point not classified yet.
 */
const otherPlanesKept = 4096;

export function cachedCodePointClass(classify: (codePoint: number) => number): (codePoint: number) => number {
  const basicPlane = new Uint16Array(0x10000);
  const otherPlanes = new Map<number, number>();
  return (codePoint) => {
    if (codePoint < 0x10000) {
      let found = basicPlane[codePoint]!;
      if (found === 0) {
        found = classify(codePoint);
        basicPlane[codePoint] = found;
      }
      return found;
    }
    let found = otherPlanes.get(codePoint);
    if (found === undefined) {
      found = classify(codePoint);
      if (otherPlanes.size < otherPlanesKept) otherPlanes.set(codePoint, found);
    }
    return found;
  };
}
