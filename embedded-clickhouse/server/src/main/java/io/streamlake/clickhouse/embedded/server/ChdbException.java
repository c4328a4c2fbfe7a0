package io.streamlake.clickhouse.embedded.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An error reported by the engine, with ClickHouse's numeric error code when the text carries one. */
public class ChdbException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");

    private final int code;

    public ChdbException(String engineMessage) {
        this(codeOf(engineMessage), engineMessage);
    }

    public ChdbException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The ClickHouse error code in a message such as "Code: 60. DB::Exception: ...", or 1001 (STD_EXCEPTION). */
    static int codeOf(String message) {
        if (message != null) {
            Matcher m = CODE.matcher(message);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 1001;
    }
}
