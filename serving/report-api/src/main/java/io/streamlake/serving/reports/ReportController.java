package io.streamlake.serving.reports;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.SQLException;
import java.util.Map;

/** {@code GET /reports/latest} and {@code GET /reports?from=...&to=...}. */
@RestController
public class ReportController {

    private final InteractionReports reports;

    public ReportController(InteractionReports reports) {
        this.reports = reports;
    }

    @GetMapping(value = "/reports/latest", produces = "application/json")
    public ResponseEntity<JsonNode> latest() throws SQLException {
        JsonNode latest = reports.latest();
        return latest == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(latest);
    }

    @GetMapping(value = "/reports", produces = "application/json")
    public JsonNode range(@RequestParam(required = false) String from, @RequestParam(required = false) String to)
            throws SQLException {
        return reports.range(from, to);
    }

    @ExceptionHandler(InteractionReports.BadRequest.class)
    ResponseEntity<Map<String, Object>> refused(InteractionReports.BadRequest e) {
        return ResponseEntity.badRequest().body(Map.of("status", 400, "error", e.getMessage()));
    }

    @ExceptionHandler(SQLException.class)
    ResponseEntity<Map<String, Object>> unavailable(SQLException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", 503, "error", "the reports cannot be read now: " + e.getMessage()));
    }
}
