package org.scorescope.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Strict JSON reading shared by the file formats: one mapper configuration that rejects duplicate keys and
 * trailing content, and parser messages cut down to what helps someone fix the file.
 */
public final class JsonText {
    private JsonText() {
    }

    /** @return a mapper that rejects duplicate keys and content after the document */
    public static ObjectMapper strictMapper() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Where a parse error is, as {@code line L, column C}, or {@code (root)} when the parser does not know.
     *
     * @param e the parser's exception
     * @return the position for a message
     */
    public static String where(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        return loc == null ? "(root)" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /**
     * The parser's message as one line without its internals: Jackson appends source descriptions, the Java type
     * being bound and the names of the features that rejected the input, none of which helps fix a file.
     *
     * @param e the parser's exception
     * @return e.g. {@code Duplicate field 'format'}
     */
    public static String reason(JsonProcessingException e) {
        return clean(e.getOriginalMessage());
    }

    static String clean(String s) {
        if (s == null) {
            return "";
        }
        if (s.startsWith("Trailing token")) {
            return "unexpected content after the end of the document";
        }
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        t = t.replaceAll("\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)",
                "(opened at line $1, column $2)");
        t = t.replaceAll("\\s*\\[Source: [^\\]]*\\]", "");
        t = t.replaceAll("\\s*\\(bound as `[^`]*`\\)", "");
        t = t.replaceAll(":?\\s*not allowed as per `[^`]*`", "");
        t = t.replaceAll("\\s*\\(?(?:enable|disable)? ?`[A-Za-z]+Feature\\.[A-Z_]+`[^)]*\\)?", "");
        return t.strip();
    }
}
