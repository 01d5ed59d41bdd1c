/**
 * `<real>` text in exactly the form Python's `repr(float)` uses, so our XML is byte-identical
 * to `plistlib.dumps` for the same model (a strong peer test) and integral reals keep their
 * `.0` (a human reading `<real>3600.0</real>` sees it is a real). Not part of the public API.
 *
 * Python's rule (`float_repr_style = 'short'`, format code `r`): the shortest digits that
 * round-trip, in fixed notation when the decimal exponent is in [-4, 16), else scientific
 * with at least two exponent digits (`1e-05`, `1e+16`). CoreFoundation reads either form.
 */

/** Formats a finite number like Python's `repr(float(n))`. */
export function formatReal(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  // toExponential() without an argument yields the shortest round-tripping digits.
  const [mantissa = '', expText = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const decpt = exp + 1;
  if (decpt <= -4 || decpt > 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
