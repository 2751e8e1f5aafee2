import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a macOS .icns file from PNG images, so the macOS installer can be built without Xcode's
 * iconutil. Usage: {@code java MakeIcns.java OUT.icns TYPE=FILE.png ...}, e.g. {@code ic08=icon-256.png}.
 *
 * <p>Format: the magic {@code icns}, the big-endian uint32 total length, then one element per image:
 * a four-character type code, the big-endian uint32 element length (8 + payload), and the PNG bytes.
 * Since macOS 10.7 the types icp4/icp5/icp6 (16/32/64 px), ic07/ic08/ic09/ic10 (128/256/512/1024 px)
 * and ic11..ic14 (the 2x variants of 16/32/128/256) may carry PNG payloads.
 */
public final class MakeIcns {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private MakeIcns() {
    }

    /** Builds the .icns file named by the first argument from {@code TYPE=png} arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: java MakeIcns.java OUT.icns TYPE=FILE.png ...");
        }
        ByteArrayOutputStream elements = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(elements);
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String type = eq < 0 ? "" : args[i].substring(0, eq);
            if (type.length() != 4) {
                throw new IllegalArgumentException("argument " + i + " ('" + args[i]
                        + "'): expected TYPE=FILE.png with a four-character TYPE such as ic08");
            }
            byte[] png = Files.readAllBytes(Path.of(args[i].substring(eq + 1)));
            if (png.length < 8 || !Arrays.equals(Arrays.copyOf(png, 8), PNG_MAGIC)) {
                throw new IllegalArgumentException(args[i].substring(eq + 1) + ": not a PNG file");
            }
            out.writeBytes(type);
            out.writeInt(8 + png.length);
            out.write(png);
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(file);
        header.writeBytes("icns");
        header.writeInt(8 + elements.size());
        elements.writeTo(header);
        Files.write(Path.of(args[0]), file.toByteArray());
    }
}
