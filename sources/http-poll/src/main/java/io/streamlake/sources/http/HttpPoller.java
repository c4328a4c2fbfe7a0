package io.streamlake.sources.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.http.PagedApiClient;
import org.springframework.integration.metadata.MetadataStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls one paginated JSON API for new records; Spring-free but for the metadata store it keeps its high-water mark
 * in (Spring Integration's {@link MetadataStore}: JDBC or Redis, surviving restarts, one key per source name).
 * <p>Each poll starts where the last committed one ended and reads pages until there are no more (or
 * {@code maxPagesPerPoll}). The mark moves only when {@link Page#commit()} is called, which the app does once every
 * record of the page was acknowledged by Kafka, so a crash re-reads at most the pages not yet acknowledged:
 * <ul>
 *   <li>{@code CURSOR}: the mark is the page token to read next and how many records of that page were sent (an API
 *       that ends with a short page, or a cursor that stays put until new records come, is read again from there and
 *       the records already sent are skipped);</li>
 *   <li>{@code MAX_FIELD}: the mark is the greatest value of a field ({@code markField}, a JSON pointer; numbers
 *       compared as numbers, anything else as text, e.g. ISO timestamps); every poll reads from the first page, the
 *       URL may pass the mark to the API as {@code {mark}}, and records not above it are skipped;</li>
 *   <li>{@code NONE}: every poll reads everything.</li>
 * </ul>
 */
public final class HttpPoller {

    /** How the poller knows where it stopped. */
    public enum Resume { CURSOR, MAX_FIELD, NONE }

    /** One record: its JSON, and its message key (null when the key field is absent). */
    public record Record(byte[] json, byte[] key) {
    }

    /** A page of new records; {@link #commit()} moves the mark past them. */
    public interface Page {
        List<Record> records();

        /** The URL it came from (secrets hidden). */
        String url();

        void commit();
    }

    /** The API's client for a poll, given the committed mark (a URL may pass it to the API). */
    private final java.util.function.Function<String, PagedApiClient> clients;
    private final MetadataStore store;
    private final String name;
    private final Resume resume;
    /** The mark and key fields' pointers, compiled once (a pointer compiled per record costs more than the lookup). */
    private final com.fasterxml.jackson.core.JsonPointer markPointer;
    private final com.fasterxml.jackson.core.JsonPointer keyPointer;
    /** Every pointer the field mapping names, compiled once. */
    private final java.util.Map<String, com.fasterxml.jackson.core.JsonPointer> pointers = new java.util.HashMap<>();
    private final int maxPagesPerPoll;
    /** Output field → where it comes from in a record; empty: records go out as they are. */
    private final java.util.Map<String, String> fields;

    public HttpPoller(java.util.function.Function<String, PagedApiClient> clients, MetadataStore store, String name,
                      Resume resume, String markField, String keyField, int maxPagesPerPoll) {
        this(clients, store, name, resume, markField, keyField, maxPagesPerPoll, java.util.Map.of());
    }

    /**
     * @param fields output field name → a JSON pointer into the record ({@code /name/first}), or a template of pointers
     *               in braces ({@code "{/location/street/number} {/location/street/name}"}); absent or null values are
     *               left out. Empty: each record is sent as the API gave it.
     */
    public HttpPoller(java.util.function.Function<String, PagedApiClient> clients, MetadataStore store, String name,
                      Resume resume, String markField, String keyField, int maxPagesPerPoll,
                      java.util.Map<String, String> fields) {
        if (resume == Resume.MAX_FIELD && (markField == null || markField.isBlank())) {
            throw new IllegalArgumentException("resume MAX_FIELD needs the mark field (a JSON pointer, e.g. /created_at)");
        }
        this.clients = clients;
        this.store = store;
        this.name = name;
        this.resume = resume;
        this.markPointer = markField == null || markField.isBlank() ? null : com.fasterxml.jackson.core.JsonPointer.compile(markField);
        this.keyPointer = keyField == null || keyField.isBlank() ? null : com.fasterxml.jackson.core.JsonPointer.compile(keyField);
        for (String from : fields.values()) {
            if (from.startsWith("/")) {
                pointers.put(from, com.fasterxml.jackson.core.JsonPointer.compile(from));
            } else {
                java.util.regex.Matcher m = PLACEHOLDER.matcher(from);
                while (m.find()) {
                    pointers.put(m.group(1), com.fasterxml.jackson.core.JsonPointer.compile(m.group(1)));
                }
            }
        }
        this.maxPagesPerPoll = maxPagesPerPoll;
        // sorted once: every record's fields go out in the same (name) order
        this.fields = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(fields));
    }

    /** The store's key of this source's mark. */
    public String markKey() {
        return "http-poll." + name;
    }

    /** The committed mark, as stored (null before the first commit). */
    public String mark() {
        return store.get(markKey());
    }

    /** A poll's pages, in order; {@link #close()} stops fetching ahead when the pages are not all taken. */
    public interface Poll extends Iterable<Page>, AutoCloseable {
        @Override
        void close();
    }

    /** How many pages are fetched and parsed ahead of the one being sent. */
    private static final int PAGES_AHEAD = 2;

    /**
     * One poll: the pages of new records, in order, empty pages left out. One thread fetches and parses up to
     * {@value #PAGES_AHEAD} pages ahead while the current one is sent, so the API's latency, the parsing and the
     * sending overlap (each page's token comes from the page before it, so the requests stay one at a time).
     *
     * @throws PagedApiClient.ApiFailedException from the page being fetched (the pages before it were returned)
     */
    public Poll poll() {
        PagedApiClient client = clients.apply(resume == Resume.MAX_FIELD ? mark() : null);
        String stored = mark();
        String firstToken;
        int firstSkip = 0;
        if (resume == Resume.CURSOR && stored != null) {
            String[] m = stored.split("\t", 2);
            firstToken = m[0];
            firstSkip = m.length > 1 ? Integer.parseInt(m[1]) : 0;
        } else {
            firstToken = client.firstToken();
        }
        Fetcher fetcher = new Fetcher(client, firstToken, maxPagesPerPoll);
        int skipAtStart = firstSkip;
        java.util.Iterator<Page> pages = new java.util.Iterator<>() {
            private int skip = skipAtStart;
            private final String maxMark = resume == Resume.MAX_FIELD ? stored : null;
            private String runningMax = maxMark;
            private boolean done;
            private Page next;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    fetch();
                }
                return next != null;
            }

            @Override
            public Page next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Page p = next;
                next = null;
                return p;
            }

            private void fetch() {
                Fetched fetched = fetcher.take();
                if (fetched == null) {
                    done = true;
                    return;
                }
                String current = fetched.token();
                PagedApiClient.Page page = fetched.page();
                List<JsonNode> items = page.items();
                List<Record> records = new ArrayList<>(items.size());
                String pageMax = runningMax;
                for (int i = resume == Resume.CURSOR ? Math.min(skip, items.size()) : 0; i < items.size(); i++) {
                    JsonNode item = items.get(i);
                    if (resume == Resume.MAX_FIELD) {
                        JsonNode v = item.at(markPointer);
                        String value = v.isMissingNode() || v.isNull() ? null : v.asText();
                        if (value == null || maxMark != null && compare(value, maxMark) <= 0) {
                            continue; // already sent (or without the field: nothing to order it by)
                        }
                        pageMax = pageMax == null || compare(value, pageMax) > 0 ? value : pageMax;
                    }
                    byte[] asSent = page.raw().get(i);
                    // as the API sent it when nothing is mapped (no second write of every record), else the mapped fields
                    byte[] json = fields.isEmpty() && asSent != null ? asSent
                            : shape(item).toString().getBytes(StandardCharsets.UTF_8);
                    records.add(new Record(json, key(item)));
                }
                runningMax = pageMax;
                String nextToken = page.nextToken();
                String committed;
                if (lastPage(current, page, client.settings().pageSize())) {
                    done = true;
                    // the last page for now: come back to it, past the records it had (new ones may fill it up)
                    committed = current + "\t" + items.size();
                } else {
                    committed = nextToken + "\t0";
                }
                skip = 0;
                if (records.isEmpty()) {
                    if (resume == Resume.CURSOR) {
                        store.put(markKey(), committed); // nothing to send: the position moves on at once
                    }
                    return;
                }
                String newMax = pageMax;
                next = new Page() {
                    @Override
                    public List<Record> records() {
                        return records;
                    }

                    @Override
                    public String url() {
                        return page.uri().toString();
                    }

                    @Override
                    public void commit() {
                        if (resume == Resume.CURSOR) {
                            store.put(markKey(), committed);
                        } else if (resume == Resume.MAX_FIELD) {
                            String stored = mark();
                            if (stored == null || compare(newMax, stored) > 0) {
                                store.put(markKey(), newMax);
                            }
                        }
                    }
                };
            }
        };
        Thread fetching = new Thread(fetcher, "http-poll-fetch-" + name);
        fetching.setDaemon(true);
        fetching.start();
        return new Poll() {
            @Override
            public java.util.Iterator<Page> iterator() {
                return pages;
            }

            @Override
            public void close() {
                fetcher.cancelled = true;
            }
        };
    }

    /** Whether {@code page}, fetched with {@code token}, is the last for now: no next token, short, or a cursor that stays put. */
    private static boolean lastPage(String token, PagedApiClient.Page page, int pageSize) {
        String next = page.nextToken();
        return next == null || page.items().size() < pageSize || next.equals(token);
    }

    /** A page and the token it was fetched with. */
    private record Fetched(String token, PagedApiClient.Page page) {
    }

    /**
     * Fetches a poll's pages in order into a small queue: a page, then the failure that ended the poll or the end.
     * It stops at the last page (no next token, a short page, a cursor that stays put), at the poll's page limit, or
     * when the poll is closed.
     */
    private static final class Fetcher implements Runnable {
        private static final Object END = new Object();
        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(PAGES_AHEAD);
        private final PagedApiClient client;
        private final String firstToken;
        private final int maxPages;
        volatile boolean cancelled;

        Fetcher(PagedApiClient client, String firstToken, int maxPages) {
            this.client = client;
            this.firstToken = firstToken;
            this.maxPages = maxPages;
        }

        @Override
        public void run() {
            String token = firstToken;
            try {
                for (int pages = 0; pages < maxPages && !cancelled; pages++) {
                    PagedApiClient.Page page = client.fetch(token);
                    if (!put(new Fetched(token, page))) {
                        return;
                    }
                    if (lastPage(token, page, client.settings().pageSize())) {
                        break;
                    }
                    token = page.nextToken();
                }
                put(END);
            } catch (RuntimeException e) {
                put(e); // the poll's consumer throws it after the pages before it
            }
        }

        private boolean put(Object o) {
            try {
                while (!cancelled) {
                    if (queue.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** The next page; null at the end; throws what ended the poll. */
        Fetched take() {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
                throw new java.util.concurrent.CancellationException("interrupted while waiting for a page");
            }
            if (o instanceof RuntimeException failure) {
                throw failure;
            }
            return o == END ? null : (Fetched) o;
        }
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{(/[^}]*)}");

    /** The record as sent: as it came, or its declared fields only (flat, as a contract wants them). */
    JsonNode shape(JsonNode item) {
        if (fields.isEmpty()) {
            return item;
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (java.util.Map.Entry<String, String> f : fields.entrySet()) {
            String from = f.getValue();
            if (from.startsWith("/")) {
                JsonNode v = item.at(pointers.get(from));
                if (!v.isMissingNode() && !v.isNull()) {
                    out.set(f.getKey(), v);
                }
                continue;
            }
            java.util.regex.Matcher m = PLACEHOLDER.matcher(from);
            StringBuilder text = new StringBuilder();
            boolean any = false;
            while (m.find()) {
                JsonNode v = item.at(pointers.get(m.group(1)));
                boolean present = !v.isMissingNode() && !v.isNull();
                any |= present;
                m.appendReplacement(text, java.util.regex.Matcher.quoteReplacement(present ? v.asText() : ""));
            }
            m.appendTail(text);
            if (any) {
                out.put(f.getKey(), text.toString().strip());
            }
        }
        return out;
    }

    private byte[] key(JsonNode item) {
        if (keyPointer == null) {
            return null;
        }
        JsonNode k = item.at(keyPointer);
        return k.isMissingNode() || k.isNull() ? null : k.asText().getBytes(StandardCharsets.UTF_8);
    }

    /** Numbers as numbers, anything else as text (ISO-8601 timestamps order as text). */
    static int compare(String a, String b) {
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
        } catch (NumberFormatException notNumbers) {
            return a.compareTo(b);
        }
    }
}
