package io.streamlake.tasks.etl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarehouseEtlPropertiesTest {

    @Test
    void theLoadWorkMemIsASizeAndNothingElse() {
        WarehouseEtlProperties properties = new WarehouseEtlProperties();
        assertThat(properties.getLoadWorkMem()).isEqualTo("256MB");
        properties.setLoadWorkMem(" 1 GB ");
        assertThat(properties.getLoadWorkMem()).isEqualTo("1GB");
        properties.setLoadWorkMem("65536kB");
        assertThat(properties.getLoadWorkMem()).isEqualTo("65536kB");
        for (String bad : new String[]{"", "lots", "64", "64TB", "1MB'; DROP TABLE x; --", "-1MB"}) {
            assertThatThrownBy(() -> properties.setLoadWorkMem(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("warehouse-etl.load-work-mem");
        }
        assertThatThrownBy(() -> properties.setLoadWorkMem(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
