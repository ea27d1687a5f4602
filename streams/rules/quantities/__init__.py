"""Quantities in news text: "أكثر من 100 ألف جندي", "1.5 مليون دولار", "$60m", "100,000 troops".

The rule engine's ``quantity: {unit, min, max}`` leaf calls :func:`find_quantities`, which
returns every number that is attached to a unit class, with its value and its span in the
*original* text (qualifier + number + unit), so evidence can quote and highlight it.

How it works, in one pass over the folded text (``streams.textnorm``), one module a step:

1. ``stretches``: digits and number words are located with one regex and one Aho-Corasick
   pass, and only the stretches around them are split into ``tokens`` (digit groups, words,
   single symbols);
2. ``numbers``: at each token that can begin a number (digits, an Arabic or English number
   word of the ``lexicon``, a vague amount such as عشرات / thousands), a small state machine
   reads the longest well-formed number phrase: compounds joined by و / and (مئة وخمسة
   وسبعين ألفاً), scale words and their duals and plurals (ألف ألفا ألفي آلاف مليون مليوني
   ملايين مليار ...), digits with thousands separators or decimals (100,000 / 100.000 /
   ١٫٥ مليون), halves (مليون ونصف);
3. ``scanner``: the phrase only becomes a quantity when a word of a unit class (``units``,
   configured in ``units.yaml``, read by ``units_file``) follows it directly, or through
   من / of (مئة ألف من الجنود), or a currency prefix precedes it ($60 million);
4. a qualifier before it (أكثر من, نحو, about, more than ...; ``qualifiers``) is included in
   the span.

Traps handled on purpose (``exclusions``): a year (عام 2014, ديسمبر 2021), an article or
clause number (المادة 5), a time or date (15:00, 7/12), a model designation (F-16) and a
percentage never become quantities; "100 ألف دولار" is usd, never troops; a unit word
without a number is nothing.

The tokenizer and the phrase reader are hand-written rather than one large regular
expression: Arabic number grammar (duals, construct states, و-compounds whose parts come
units-before-tens) needs arithmetic and look-behind for qualifiers, which a regex cannot do,
and a per-token dictionary lookup keeps the cost linear in the text length.
"""

from streams.rules.quantities.gate import UnitGate
from streams.rules.quantities.scanner import QuantityMention, find_quantities, find_quantities_normalized
from streams.rules.quantities.units import UnitClasses
from streams.rules.quantities.units_file import DEFAULT_UNITS_PATH, default_unit_classes, load_unit_classes

__all__ = [
    "DEFAULT_UNITS_PATH",
    "QuantityMention",
    "UnitGate",
    "UnitClasses",
    "default_unit_classes",
    "find_quantities",
    "find_quantities_normalized",
    "load_unit_classes",
]
