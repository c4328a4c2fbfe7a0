package io.streamlake.serving.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.sql.SQLException;
import java.util.Map;

/** The JSON the pages draw from. */
@RestController
class DashboardController {

    private final LiveAnalytics live;

    DashboardController(LiveAnalytics live) {
        this.live = live;
    }

    /** Bets and GGR per game type per minute, the last {@code minutes} (default 60). */
    @GetMapping("/api/live/ggr")
    ObjectNode ggr(@RequestParam(defaultValue = "60") int minutes) throws SQLException {
        return live.ggrByGameType(minutes);
    }

    @ExceptionHandler({LiveAnalytics.BadRequest.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Map<String, String>> badRequest(Exception e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", e instanceof MethodArgumentTypeMismatchException m
                ? "parameter " + m.getName() + " must be a whole number" : e.getMessage()));
    }

    @ExceptionHandler(SQLException.class)
    ResponseEntity<Map<String, String>> storeDown(SQLException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "ClickHouse: " + e.getMessage()));
    }
}
