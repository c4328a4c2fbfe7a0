package io.streamlake.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The house JSON settings, for everything StreamLake reads or writes as JSON (events of any type, feature rows,
 * ClickHouse rows): a key twice in one object is an error, not a silent overwrite; decimals stay exact
 * ({@code 12.50} stays {@code 12.50}, never a double); trailing text after the value is an error.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Json() {
    }

    /** The shared mapper (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code text} as a JSON string literal, quotes included (for splicing a field into JSON text). */
    public static String quoted(String text) {
        return '"' + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /**
     * A JSON object's text with {@code fields} ({@code "a":1,"b":"x"}, no braces) added before its closing brace, the
     * object's own text kept as it is (no parse, no second write). Throws IllegalArgumentException when the text does
     * not end with a closing brace.
     */
    public static byte[] withFields(byte[] object, String fields) {
        if (fields == null || fields.isEmpty()) {
            return object;
        }
        int end = object.length - 1;
        while (end >= 0 && Character.isWhitespace(object[end])) {
            end--;
        }
        if (end < 0 || object[end] != '}') {
            throw new IllegalArgumentException("not a JSON object");
        }
        int start = 0;
        while (start < end && Character.isWhitespace(object[start])) {
            start++;
        }
        boolean empty = true; // "{}" takes no comma
        for (int i = start + 1; i < end; i++) {
            if (!Character.isWhitespace(object[i])) {
                empty = false;
                break;
            }
        }
        byte[] added = ((empty ? "" : ",") + fields).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[end + added.length + 1];
        System.arraycopy(object, 0, out, 0, end);
        System.arraycopy(added, 0, out, end, added.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** The shared factory, for streaming parsers and generators (thread-safe). */
    public static JsonFactory factory() {
        return FACTORY;
    }
}
