package io.github.flinksoftmax.format;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatsTest {

    @Test
    void createsEachNamedFormat() {
        assertThat(Formats.NAMES).containsExactly("json", "oip-v2", "float32le");
        assertThat(Formats.create("json", FormatSettings.DEFAULTS)).isInstanceOf(JsonFormat.class);
        assertThat(Formats.create("oip-v2", FormatSettings.DEFAULTS)).isInstanceOf(OipV2Format.class);
        assertThat(Formats.create("float32le", FormatSettings.DEFAULTS)).isInstanceOf(Float32LeFormat.class);
    }

    @Test
    void rejectsAnUnknownNameNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> Formats.create("JSON", FormatSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format is 'JSON'; expected one of json, oip-v2, float32le");
        assertThatThrownBy(() -> Formats.create(null, FormatSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format is not set; expected one of json, oip-v2, float32le");
    }

    @Test
    void hasTheDocumentedDefaults() {
        assertThat(FormatSettings.DEFAULTS)
                .isEqualTo(new FormatSettings(2_097_152, "/logits", "", "probabilities", 0));
    }

    @Test
    void validatesEachSetting() {
        FormatSettings d = FormatSettings.DEFAULTS;
        assertThatThrownBy(() -> d.withMaxLength(0)).hasMessage("softmax.max-length is 0; expected at least 1");
        assertThatThrownBy(() -> d.withLogitsPointer("logits")).hasMessageStartingWith("json.logits-pointer is 'logits'");
        assertThatThrownBy(() -> d.withLogitsPointer("")).hasMessageStartingWith("json.logits-pointer is ''");
        assertThatThrownBy(() -> d.withOipInputTensor(null)).hasMessageStartingWith("oip.input-tensor is null");
        assertThatThrownBy(() -> d.withOipOutputTensor("")).hasMessageStartingWith("oip.output-tensor is ''");
        assertThatThrownBy(() -> d.withFloat32leClasses(-1)).hasMessageStartingWith("float32le.classes is -1");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        FormatSettings settings = FormatSettings.DEFAULTS.withLogitsPointer("/a/b").withFloat32leClasses(10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(settings);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(settings);
        }
    }
}
