package io.github.flinksoftmax.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The policy's two spellings, and the message for anything else. */
class OnInvalidTest {

    @Test
    void parsesNullAndErrorInAnyCase() {
        assertThat(OnInvalid.parse("null", "k")).isEqualTo(OnInvalid.NULL);
        assertThat(OnInvalid.parse(" ERROR ", "k")).isEqualTo(OnInvalid.ERROR);
    }

    @Test
    void namesTheKeyAndTheAllowedValues() {
        assertThatThrownBy(() -> OnInvalid.parse("skip", OnInvalid.MODULE_OPTION))
                .hasMessage("on-invalid must be 'null' or 'error', got 'skip'");
    }
}
