package io.streamlake.tasks.etl;

import io.streamlake.common.http.PagedApiClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamReader;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer profiles from the paginated API as records for the customer cleaner. Restartable: the step's execution
 * context keeps the current page's token and the position in it, so a restarted step refetches that page and goes on
 * after the last item committed.
 */
final class ProfileApiReader implements ItemStreamReader<CsvRecord> {

    private static final String TOKEN = "profiles.token";
    private static final String INDEX = "profiles.index";
    private static final String READ = "profiles.read";

    private final PagedApiClient client;
    private final String sourceName;
    private String token;
    private List<JsonNode> items = List.of();
    private String nextToken;
    private int index;
    private long read;

    ProfileApiReader(PagedApiClient client, String sourceName) {
        this.client = client;
        this.sourceName = sourceName;
    }

    @Override
    public void open(ExecutionContext context) {
        token = context.containsKey(TOKEN) ? context.getString(TOKEN) : client.firstToken();
        int skip = context.containsKey(INDEX) ? context.getInt(INDEX) : 0;
        read = context.containsKey(READ) ? context.getLong(READ) : 0;
        load(token);
        index = Math.min(skip, items.size());
    }

    @Override
    public CsvRecord read() {
        while (index >= items.size()) {
            if (nextToken == null) {
                return null;
            }
            load(nextToken);
        }
        JsonNode item = items.get(index++);
        read++;
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            fields.put(SourceRowCleaner.canonicalColumn(f.getKey()), v == null || v.isNull() ? null
                    : v.isValueNode() ? v.asText() : v.toString());
        }
        return new CsvRecord(sourceName, read, fields, item.toString(), item.isObject() ? null : "an item that is not an object");
    }

    private void load(String pageToken) {
        PagedApiClient.Page page = client.fetch(pageToken);
        token = pageToken;
        items = page.items();
        nextToken = page.nextToken();
        index = 0;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(TOKEN, token);
        context.putInt(INDEX, index);
        context.putLong(READ, read);
    }

    @Override
    public void close() {
    }
}
