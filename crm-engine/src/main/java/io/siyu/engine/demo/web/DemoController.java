package io.siyu.engine.demo.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.siyu.engine.demo.DemoData;

/** Where the demo data stands ({@code --siyu.demo.members=N}); {@code "state":"off"} when the engine runs without. */
@RestController
class DemoController {

    private final ObjectProvider<DemoData> demo;

    DemoController(ObjectProvider<DemoData> demo) {
        this.demo = demo;
    }

    /**
     * {@code GET /api/v1/admin/demo}: {@code state} ({@code off}, {@code waiting}, {@code running}, {@code done},
     * {@code skipped} — the store had events —, {@code failed}), the day reached, {@code progressPercent}, members
     * registered, commands sent and refused by the rules.
     */
    @GetMapping("/api/v1/admin/demo")
    DemoData.Status status() {
        DemoData data = demo.getIfAvailable();
        return data == null ? new DemoData.Status("off", 0, 0, null, null, null, 0, 0, 0, 0, null, null, null)
                : data.status();
    }
}
