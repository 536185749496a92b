/**
 * Letters and digits that glue onto a number (so it is part of a longer word):
 * scripts written with spaces. Chinese or Japanese text runs straight into a
 * number ("電話+81 3-1234-5678です"), so its characters are not glue.
 */
export const glue = '\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{N}_';
