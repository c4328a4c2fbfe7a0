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
    private final String markField;
    private final String keyField;
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
        this.markField = markField;
        this.keyField = keyField;
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

    /**
     * One poll: the pages of new records, fetched lazily; empty pages are not returned.
     *
     * @throws PagedApiClient.ApiFailedException from the page being fetched (the pages before it were returned)
     */
    public Iterable<Page> poll() {
        PagedApiClient client = clients.apply(resume == Resume.MAX_FIELD ? mark() : null);
        return () -> new java.util.Iterator<>() {
            private String token;
            private int skip;
            private final String maxMark = resume == Resume.MAX_FIELD ? mark() : null;
            private String runningMax = maxMark;
            private int pages;
            private boolean done;
            private Page next;
            /** The next page, fetched while this one's records are sent (one request in flight at a time). */
            private java.util.concurrent.CompletableFuture<PagedApiClient.Page> ahead;

            {
                if (resume == Resume.CURSOR && mark() != null) {
                    String[] m = mark().split("\t", 2);
                    token = m[0];
                    skip = m.length > 1 ? Integer.parseInt(m[1]) : 0;
                } else {
                    token = client.firstToken();
                }
            }

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
                if (pages++ >= maxPagesPerPoll) {
                    done = true;
                    return;
                }
                String current = token;
                PagedApiClient.Page page = ahead != null ? await(ahead) : client.fetch(current);
                ahead = null;
                List<JsonNode> items = page.items();
                List<Record> records = new ArrayList<>(items.size());
                String pageMax = runningMax;
                for (int i = resume == Resume.CURSOR ? Math.min(skip, items.size()) : 0; i < items.size(); i++) {
                    JsonNode item = items.get(i);
                    if (resume == Resume.MAX_FIELD) {
                        JsonNode v = item.at(markField);
                        String value = v.isMissingNode() || v.isNull() ? null : v.asText();
                        if (value == null || maxMark != null && compare(value, maxMark) <= 0) {
                            continue; // already sent (or without the field: nothing to order it by)
                        }
                        pageMax = pageMax == null || compare(value, pageMax) > 0 ? value : pageMax;
                    }
                    records.add(new Record(shape(item).toString().getBytes(StandardCharsets.UTF_8), key(item)));
                }
                runningMax = pageMax;
                String nextToken = page.nextToken();
                String committed;
                if (nextToken == null || items.size() < client.settings().pageSize() || nextToken.equals(current)) {
                    done = true;
                    // the last page for now: come back to it, past the records it had (new ones may fill it up)
                    committed = current + "\t" + items.size();
                } else {
                    committed = nextToken + "\t0";
                }
                token = nextToken;
                skip = 0;
                if (!done && pages < maxPagesPerPoll) {
                    String following = nextToken;
                    ahead = java.util.concurrent.CompletableFuture.supplyAsync(() -> client.fetch(following), PREFETCH);
                }
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
                JsonNode v = item.at(from);
                if (!v.isMissingNode() && !v.isNull()) {
                    out.set(f.getKey(), v);
                }
                continue;
            }
            java.util.regex.Matcher m = PLACEHOLDER.matcher(from);
            StringBuilder text = new StringBuilder();
            boolean any = false;
            while (m.find()) {
                JsonNode v = item.at(m.group(1));
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

    /** One thread fetches the page after the one being sent, so the API's latency and the sending overlap. */
    private static final java.util.concurrent.Executor PREFETCH = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http-poll-prefetch");
        t.setDaemon(true);
        return t;
    });

    private static PagedApiClient.Page await(java.util.concurrent.CompletableFuture<PagedApiClient.Page> page) {
        try {
            return page.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the ApiFailedException (or UnreadableResponseException) of that page, as if fetched here
            }
            throw e;
        }
    }

    private byte[] key(JsonNode item) {
        if (keyField == null || keyField.isBlank()) {
            return null;
        }
        JsonNode k = item.at(keyField);
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
