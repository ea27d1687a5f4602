package io.marsad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.monitor.MatchingQueries;
import org.apache.lucene.monitor.Monitor;
import org.apache.lucene.monitor.MonitorQuery;
import org.apache.lucene.monitor.QueryMatch;
import org.apache.lucene.queries.spans.SpanMultiTermQueryWrapper;
import org.apache.lucene.queries.spans.SpanNearQuery;
import org.apache.lucene.queries.spans.SpanOrQuery;
import org.apache.lucene.queries.spans.SpanQuery;
import org.apache.lucene.queries.spans.SpanTermQuery;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermQuery;

/**
 * Apache Lucene Monitor on the rule sets and articles of bench/bench_match.py, translated by
 * bench/lucene_anchor.py: one thread, CPU time of that thread, warmed up, the measured
 * articles in slices (median), each slice timed when the Python side asks, between its own
 * timings of Marsad's matcher on the same slice.
 *
 * <p>Usage: java -cp 'target/lib/*:target/classes' io.marsad.bench.MonitorBench IN.json OUT.json,
 * then `slice NAME K` lines on stdin (each answered with that slice's CPU seconds) and `done`.
 */
public final class MonitorBench {
  private static final String FIELD = "text";

  /** Arabic text as Lucene's ArabicAnalyzer reads it, without its stop words (so that
   * positions match the text): standard tokens, lower case, digits of any script as ASCII,
   * orthography normalized, light stemming of clitics and suffixes. What a Lucene user
   * would deploy; it stems more than Marsad's rules accept (الأسرة for الأسرى). */
  static final class LightAnalyzer extends Analyzer {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      StandardTokenizer source = new StandardTokenizer();
      TokenStream stream = new LowerCaseFilter(source);
      stream = new DecimalDigitFilter(stream);
      stream = new ArabicNormalizationFilter(stream);
      stream = new ArabicStemFilter(stream);
      return new TokenStreamComponents(source, stream);
    }
  }

  /** Marsad's own reading of a word, done by Lucene at index time: the text folded with
   * Marsad's character table, words as \w+ runs, and each word indexed under every
   * (prefix, core, remainder) it splits into, the core tagged with the classes of its prefix
   * and remainder (MorphologyFilter); a rule word is any of the keys its spec allows. */
  static final class ExactAnalyzer extends Analyzer {
    private final NormalizeCharMap folding;
    private final Morphology morphology;

    ExactAnalyzer(NormalizeCharMap folding, Morphology morphology) {
      this.folding = folding;
      this.morphology = morphology;
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
      return new MappingCharFilter(folding, reader);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      PatternTokenizer source = new PatternTokenizer(WORD, 0);
      return new TokenStreamComponents(source, new MorphologyFilter(source, morphology));
    }
  }

  private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

  /** Marsad's clitic prefixes and remainders (streams/rules/morphology.py, sent by Python). */
  static final class Morphology {
    final Set<String> prefixes = new HashSet<>();
    final Set<String> articlePrefixes = new HashSet<>();
    // remainder -> the classes it belongs to (see keys)
    final Map<String, String> remainderClasses = new HashMap<>();
    int maxPrefix;
    int maxRemainder;

    Morphology(JsonNode node) {
      node.get("prefixes").fields().forEachRemaining(e -> {
        prefixes.add(e.getKey());
        maxPrefix = Math.max(maxPrefix, e.getKey().length());
        if (e.getValue().asBoolean()) {
          articlePrefixes.add(e.getKey());
        }
      });
      Set<String> suffixes = texts(node.get("suffixes"));
      Set<String> taaRemainders = texts(node.get("taa_remainders"));
      Set<String> taaOnly = texts(node.get("taa_only"));
      for (String remainder : texts(node.get("remainders"))) {
        StringBuilder classes = new StringBuilder(4);
        if (remainder.isEmpty()) {
          classes.append('0');
        }
        if (suffixes.contains(remainder)) {
          classes.append('S');
        }
        if (taaRemainders.contains(remainder)) {
          classes.append('T');
        }
        if (taaOnly.contains(remainder)) {
          classes.append('t');
        }
        if (remainder.startsWith("\u0647") && suffixes.contains(remainder.substring(1))) {
          classes.append('H');
        }
        if (classes.length() > 0) {
          remainderClasses.put(remainder, classes.toString());
          maxRemainder = Math.max(maxRemainder, remainder.length());
        }
      }
    }

    private static Set<String> texts(JsonNode array) {
      Set<String> out = new HashSet<>();
      array.forEach(item -> out.add(item.asText()));
      return out;
    }

    static boolean arabic(String word) {
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        if (c >= '\u0600' && c <= '\u06ff') {
          return true;
        }
      }
      return false;
    }

    /** Every key the word is indexed under: class of its prefix (0 none, P one without the
     * article, A one with it), class of its remainder (0 none, S a suffix, T one after a
     * final taa, t the taa alone, H a final ha plus a suffix), ':', core. A rule word asks
     * for the classes it allows (bench/lucene_anchor.py, word_keys). */
    void keys(String word, Set<String> out) {
      if (!arabic(word)) {
        out.add("00:" + word);
        return;
      }
      // prefixes and remainders are short: look each length up rather than scanning the lists
      int length = word.length();
      for (int p = 0; p <= Math.min(maxPrefix, length - 1); p++) {
        String prefix = word.substring(0, p);
        if (!prefixes.contains(prefix)) {
          continue;
        }
        char prefixClass = p == 0 ? '0' : (articlePrefixes.contains(prefix) ? 'A' : 'P');
        for (int r = 0; r <= Math.min(maxRemainder, length - p - 1); r++) {
          String remainder = word.substring(length - r);
          String classes = remainderClasses.get(remainder);
          if (classes == null) {
            continue;
          }
          String core = word.substring(p, length - r);
          for (int j = 0; j < classes.length(); j++) {
            out.add("" + prefixClass + classes.charAt(j) + ':' + core);
          }
        }
      }
    }
  }

  /** Each word becomes its keys, all at the word's position. */
  static final class MorphologyFilter extends TokenFilter {
    private final Morphology morphology;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
    private final Set<String> keys = new LinkedHashSet<>();
    private Iterator<String> pending = Collections.emptyIterator();

    MorphologyFilter(TokenStream input, Morphology morphology) {
      super(input);
      this.morphology = morphology;
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (pending.hasNext()) {
        term.setEmpty().append(pending.next());
        increment.setPositionIncrement(0);
        return true;
      }
      if (!input.incrementToken()) {
        return false;
      }
      keys.clear();
      morphology.keys(term.toString(), keys);
      pending = keys.iterator();
      term.setEmpty().append(pending.next());
      return true;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      pending = Collections.emptyIterator();
    }
  }

  private final Analyzer analyzer;
  private final boolean analyzeQueries;

  MonitorBench(Analyzer analyzer, boolean analyzeQueries) {
    this.analyzer = analyzer;
    this.analyzeQueries = analyzeQueries;
  }

  /** The terms of one word of a rule: analyzed (light), or the key Python computed (exact). */
  private List<String> wordTerms(String word) throws IOException {
    if (!analyzeQueries) {
      return List.of(word);
    }
    List<String> out = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(FIELD, word)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        out.add(term.toString());
      }
      stream.end();
    }
    return out;
  }

  /** A "seq" node: positions, each a list of alternative words. */
  private List<List<Term>> positions(JsonNode seq) throws IOException {
    List<List<Term>> out = new ArrayList<>();
    for (JsonNode alternatives : seq) {
      if (alternatives.size() == 1) {
        for (String t : wordTerms(alternatives.get(0).asText())) {
          out.add(List.of(new Term(FIELD, t)));
        }
        continue;
      }
      List<Term> terms = new ArrayList<>();
      for (JsonNode word : alternatives) {
        List<String> analyzed = wordTerms(word.asText());
        if (!analyzed.isEmpty()) {
          terms.add(new Term(FIELD, analyzed.get(0)));
        }
      }
      if (!terms.isEmpty()) {
        out.add(terms);
      }
    }
    return out;
  }

  /** A node of the translated rule (see bench/lucene_anchor.py) as a Lucene query. */
  Query query(JsonNode node) throws IOException {
    if (node.has("seq")) {
      List<List<Term>> positions = positions(node.get("seq"));
      if (positions.isEmpty()) {
        return new MatchNoDocsQuery();
      }
      if (positions.size() == 1) {
        List<Term> alternatives = positions.get(0);
        if (alternatives.size() == 1) {
          return new TermQuery(alternatives.get(0));
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (Term t : alternatives) {
          any.add(new TermQuery(t), BooleanClause.Occur.SHOULD);
        }
        return any.build();
      }
      MultiPhraseQuery.Builder phrase = new MultiPhraseQuery.Builder();
      for (List<Term> alternatives : positions) {
        phrase.add(alternatives.toArray(new Term[0]));
      }
      return phrase.build();
    }
    if (node.has("and") || node.has("or")) {
      boolean all = node.has("and");
      BooleanQuery.Builder bool = new BooleanQuery.Builder();
      for (JsonNode child : node.get(all ? "and" : "or")) {
        bool.add(query(child), all ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD);
      }
      if (node.has("not")) {
        for (JsonNode child : node.get("not")) {
          bool.add(query(child), BooleanClause.Occur.MUST_NOT);
        }
      }
      return bool.build();
    }
    return span(node);
  }

  private static SpanQuery anyOf(List<SpanQuery> parts) {
    return parts.size() == 1 ? parts.get(0) : new SpanOrQuery(parts.toArray(new SpanQuery[0]));
  }

  /** near / within and the regexes' token sequences as span queries. */
  SpanQuery span(JsonNode node) throws IOException {
    if (node.has("near")) {
      List<SpanQuery> parts = new ArrayList<>();
      for (JsonNode child : node.get("near")) {
        parts.add(span(child));
      }
      return new SpanNearQuery(parts.toArray(new SpanQuery[0]), node.get("slop").asInt(), false);
    }
    if (node.has("or")) {
      List<SpanQuery> parts = new ArrayList<>();
      for (JsonNode child : node.get("or")) {
        parts.add(span(child));
      }
      return anyOf(parts);
    }
    if (node.has("seq")) {
      List<SpanQuery> parts = new ArrayList<>();
      for (List<Term> alternatives : positions(node.get("seq"))) {
        List<SpanQuery> terms = new ArrayList<>();
        for (Term t : alternatives) {
          terms.add(new SpanTermQuery(t));
        }
        parts.add(anyOf(terms));
      }
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("a phrase with no token: " + node);
      }
      return parts.size() == 1 ? parts.get(0) : new SpanNearQuery(parts.toArray(new SpanQuery[0]), 0, true);
    }
    if (node.has("regexps")) {
      List<SpanQuery> parts = new ArrayList<>();
      for (JsonNode regexp : node.get("regexps")) {
        parts.add(new SpanMultiTermQueryWrapper<>(new RegexpQuery(new Term(FIELD, regexp.asText()))));
      }
      return parts.size() == 1 ? parts.get(0) : new SpanNearQuery(parts.toArray(new SpanQuery[0]), node.get("slop").asInt(), true);
    }
    throw new IllegalArgumentException("unknown rule node: " + node);
  }

  static Document document(String text) {
    Document doc = new Document();
    doc.add(new TextField(FIELD, text, Field.Store.NO));
    return doc;
  }

  static double usedHeapMb() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** One rule set registered in its own Monitor, warmed up, then timed slice by slice as the
   * Python side asks: its slices and Marsad's alternate, so that the load of anything else on
   * the machine falls on both engines alike. */
  final class ServedSet {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Monitor monitor;
    private final double compileSeconds;
    private final double heapMb;
    private final List<Document> documents;
    private final int perSlice;
    private final double[] seconds;
    private final List<List<String>> matches;

    ServedSet(JsonNode set, List<Document> warmUp, List<Document> documents, int slices, int passes)
        throws IOException {
      double heapBefore = usedHeapMb();
      long started = threads.getCurrentThreadCpuTime();
      List<MonitorQuery> queries = new ArrayList<>();
      for (JsonNode rule : set.get("queries")) {
        queries.add(new MonitorQuery(rule.get("id").asText(), query(rule.get("q"))));
      }
      monitor = new Monitor(analyzer);
      monitor.register(queries);
      compileSeconds = (threads.getCurrentThreadCpuTime() - started) / 1e9;
      queries.clear();
      heapMb = usedHeapMb() - heapBefore;
      for (int pass = 0; pass < passes; pass++) {
        for (Document doc : warmUp) {
          monitor.match(doc, QueryMatch.SIMPLE_MATCHER);
        }
      }
      this.documents = documents;
      perSlice = documents.size() / slices;
      seconds = new double[slices];
      matches = new ArrayList<>(Collections.nCopies(perSlice * slices, null));
    }

    /** CPU seconds of this thread to match slice k, one article at a time. */
    double slice(int k) throws IOException {
      List<MatchingQueries<QueryMatch>> found = new ArrayList<>(perSlice);
      long sliceStart = threads.getCurrentThreadCpuTime();
      for (Document doc : documents.subList(k * perSlice, (k + 1) * perSlice)) {
        found.add(monitor.match(doc, QueryMatch.SIMPLE_MATCHER));
      }
      seconds[k] = (threads.getCurrentThreadCpuTime() - sliceStart) / 1e9;
      for (int i = 0; i < perSlice; i++) {
        List<String> ids = new ArrayList<>();
        for (QueryMatch match : found.get(i).getMatches()) {
          ids.add(match.getQueryId());
        }
        matches.set(k * perSlice + i, ids);
      }
      return seconds[k];
    }

    ObjectNode result(ObjectMapper mapper) throws IOException {
      monitor.close();
      for (int k = 0; k < seconds.length; k++) {
        if (matches.get(k * perSlice) == null) {
          throw new IllegalStateException("slice " + k + " was never timed");
        }
      }
      ObjectNode out = mapper.createObjectNode();
      out.put("compile_seconds", compileSeconds);
      out.put("heap_mb", heapMb);
      out.put("rate", perSlice / median(seconds));
      out.put("alerts_per_article", matches.stream().mapToInt(List::size).sum() / (double) matches.size());
      ArrayNode matchesOut = out.putArray("matches");
      for (List<String> ids : matches) {
        ArrayNode idsOut = matchesOut.addArray();
        ids.forEach(idsOut::add);
      }
      ArrayNode secondsOut = out.putArray("slice_seconds");
      for (double s : seconds) {
        secondsOut.add(s);
      }
      return out;
    }
  }

  /** Registers and warms up every set of IN.json, says "ready", then answers "slice NAME K"
   * with the CPU seconds of that slice, until "done": then writes the figures to OUT.json. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: MonitorBench IN.json OUT.json  (then slice NAME K ... done on stdin)");
      System.exit(2);
    }
    ObjectMapper mapper = new ObjectMapper();
    JsonNode in = mapper.readTree(new File(args[0]));
    List<Document> warmUp = new ArrayList<>();
    for (JsonNode text : in.get("warm_up")) {
      warmUp.add(document(text.asText()));
    }
    List<Document> documents = new ArrayList<>();
    for (JsonNode text : in.get("documents")) {
      documents.add(document(text.asText()));
    }
    Map<String, ServedSet> served = new LinkedHashMap<>();
    for (JsonNode set : in.get("sets")) {
      MonitorBench bench;
      if (set.get("mode").asText().equals("exact")) {
        NormalizeCharMap.Builder folding = new NormalizeCharMap.Builder();
        in.get("folding").fields().forEachRemaining(e -> folding.add(e.getKey(), e.getValue().asText()));
        bench = new MonitorBench(new ExactAnalyzer(folding.build(), new Morphology(in.get("morphology"))), false);
      } else {
        bench = new MonitorBench(new LightAnalyzer(), true);
      }
      served.put(
          set.get("name").asText(),
          bench.new ServedSet(set, warmUp, documents, in.get("slices").asInt(), in.get("warm_up_passes").asInt()));
    }
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    answers.println("ready");
    for (String line = commands.readLine(); line != null; line = commands.readLine()) {
      String[] words = line.trim().split(" ");
      if (words[0].equals("done")) {
        ObjectNode out = mapper.createObjectNode();
        out.put("lucene_version", org.apache.lucene.util.Version.LATEST.toString());
        ObjectNode sets = out.putObject("sets");
        for (Map.Entry<String, ServedSet> entry : served.entrySet()) {
          sets.set(entry.getKey(), entry.getValue().result(mapper));
        }
        mapper.writeValue(new File(args[1]), out);
        answers.println("written");
        return;
      }
      if (!words[0].equals("slice") || words.length != 3 || !served.containsKey(words[1])) {
        throw new IllegalArgumentException("expected `slice NAME K` or `done`, got: " + line);
      }
      answers.println(served.get(words[1]).slice(Integer.parseInt(words[2])));
    }
    throw new IllegalStateException("stdin closed before `done`");
  }
}
