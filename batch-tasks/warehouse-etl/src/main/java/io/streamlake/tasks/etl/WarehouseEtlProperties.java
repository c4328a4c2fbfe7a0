package io.streamlake.tasks.etl;

import io.streamlake.common.http.PagedApiClient;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import java.math.BigDecimal;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Configuration of the warehouse-etl task. */
@ConfigurationProperties("warehouse-etl")
public class WarehouseEtlProperties {

    /** Folder holding the CSV exports to load. */
    private Path inputDir = Path.of("data/incoming");

    /** Glob (within the input folder) of casino activity exports. */
    private String activityFiles = "activity*.csv";

    /** Glob of customer exports. */
    private String customerFiles = "customers*.csv";

    /** Glob of game catalogue exports. */
    private String gameFiles = "games*.csv";

    /** Character encoding of the CSV files (a UTF-8 byte-order mark is ignored). */
    private String encoding = "UTF-8";

    /** Field delimiter of the CSV files. */
    private char delimiter = ',';

    /** Quote character of the CSV files; a quote inside a quoted field is doubled. */
    private char quote = '"';

    /** A quoted field may span at most this many lines; beyond, the record is rejected as malformed. */
    private int maxRecordLines = 20;

    /** Zone of timestamps written without an offset. */
    private String zone = "UTC";

    /** Accepted timestamp patterns without an offset (ISO-8601 with an offset and epoch milliseconds are always accepted). */
    private List<String> dateTimeFormats = List.of("yyyy-MM-dd HH:mm:ss[.SSS]", "yyyy-MM-dd'T'HH:mm:ss[.SSS]",
            "dd/MM/yyyy HH:mm[:ss]", "dd.MM.yyyy HH:mm[:ss]", "yyyy-MM-dd");

    /** Accepted date patterns. */
    private List<String> dateFormats = List.of("yyyy-MM-dd", "dd/MM/yyyy", "dd.MM.yyyy");

    /**
     * Game types and, for each, the largest win as a multiple of the bet (bonus wins are exempt), merged over the
     * casino-activity contract's max-win-multiplier parameter (slots 5000, roulette 36, blackjack 8, poker 500, sports
     * 1000, baccarat 9, live 500, bingo 10000, lottery 1000000): activity and game rows of any other type are rejected
     * as unknown_game_type, wins above it as win_exceeds_max_multiplier. The same property as event-validator's.
     */
    private Map<String, BigDecimal> maxWinMultiplier = new java.util.LinkedHashMap<>();

    /**
     * Where the casino-activity contract (the rules activity rows are cleaned with, the ones event-validator applies)
     * is read: a schema registry's URL, a directory of subject.avsc files, or empty for the shipped one.
     */
    private String contractsLocation = "";

    /** Rows per chunk: each chunk is one transaction, and a restart resumes after the last committed one. */
    private int chunkSize = 5000;

    /**
     * PostgreSQL {@code work_mem} and {@code maintenance_work_mem} for the load's transaction (e.g. 256MB): its
     * aggregates, joins and the run's facts on their way to the monthly partitions stay in memory instead of spilling
     * to temporary files, and a new month's key and indexes are sorted in memory.
     */
    private String loadWorkMem = "256MB";

    /** Schema of the staging tables. */
    private String stagingSchema = "staging";

    /** Schema of the warehouse tables. */
    private String warehouseSchema = "warehouse";

    /** The customer-profile API; leave its url unset to skip that source. */
    private final Api api = new Api();

    /** Dropping or archiving old fact partitions. */
    private final Retention retention = new Retention();

    /**
     * Failure drill: the activity step fails after this many committed chunks (0 = never), to rehearse a restart.
     */
    private int failAfterChunks;

    public static class Api {
        /** Base URL of the customer-profile API (e.g. http://crm.internal/api/customers); unset = no API source. */
        private URI url;
        /**
         * PAGE (?page=N&amp;size=M), OFFSET (?offset=O&amp;limit=M), CURSOR (?limit=M&amp;cursor=C), LINK (the Link
         * header's rel="next") or NONE (one page).
         */
        private PagedApiClient.Pagination pagination = PagedApiClient.Pagination.PAGE;
        /** Items per page requested. */
        private int pageSize = 500;
        /** Number of the first page in PAGE mode. */
        private int firstPage = 1;
        /** Field of the response holding the items. */
        private String itemsField = "data";
        /** Field holding the next cursor in CURSOR mode (absent, null or empty = last page). */
        private String cursorField = "next_cursor";
        /** Field holding the page count in PAGE mode, when the API gives it (else an empty page ends). */
        private String totalPagesField = "total_pages";
        /** Attempts per page before the step fails (429, 5xx, timeouts and connection errors are retried). */
        private int maxAttempts = 6;
        /** First backoff between attempts; doubled each time, with jitter. */
        private Duration initialBackoff = Duration.ofMillis(500);
        /** Longest backoff between attempts. */
        private Duration maxBackoff = Duration.ofSeconds(30);
        /** Connect and request timeout. */
        private Duration timeout = Duration.ofSeconds(10);
        /** Longest wait honoured from a Retry-After header. */
        private Duration maxRetryAfter = Duration.ofSeconds(120);

        public URI getUrl() { return url; }
        public void setUrl(URI url) { this.url = url; }
        public PagedApiClient.Pagination getPagination() { return pagination; }
        public void setPagination(PagedApiClient.Pagination pagination) { this.pagination = pagination; }
        public int getPageSize() { return pageSize; }
        public void setPageSize(int pageSize) { this.pageSize = pageSize; }
        public int getFirstPage() { return firstPage; }
        public void setFirstPage(int firstPage) { this.firstPage = firstPage; }
        public String getItemsField() { return itemsField; }
        public void setItemsField(String itemsField) { this.itemsField = itemsField; }
        public String getCursorField() { return cursorField; }
        public void setCursorField(String cursorField) { this.cursorField = cursorField; }
        public String getTotalPagesField() { return totalPagesField; }
        public void setTotalPagesField(String totalPagesField) { this.totalPagesField = totalPagesField; }
        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public Duration getInitialBackoff() { return initialBackoff; }
        public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
        public Duration getMaxBackoff() { return maxBackoff; }
        public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
        public Duration getTimeout() { return timeout; }
        public void setTimeout(Duration timeout) { this.timeout = timeout; }
        public Duration getMaxRetryAfter() { return maxRetryAfter; }
        public void setMaxRetryAfter(Duration maxRetryAfter) { this.maxRetryAfter = maxRetryAfter; }

        PagedApiClient.Settings settings() {
            return PagedApiClient.Settings.builder(url).pagination(pagination).pageSize(pageSize).firstPage(firstPage)
                    .itemsPath(itemsField).cursorPath(cursorField).totalPagesPath(totalPagesField).maxAttempts(maxAttempts)
                    .initialBackoff(initialBackoff).maxBackoff(maxBackoff).timeout(timeout).maxRetryAfter(maxRetryAfter)
                    .build();
        }
    }

    public static class Retention {
        /** Fact partitions whose month ended longer ago than this are dropped or archived; unset = keep everything. */
        private Duration maxAge;
        /** DROP the old partitions, or ARCHIVE them (detached and moved to the archive schema). */
        private Mode mode = Mode.ARCHIVE;
        /** Schema archived partitions move to. */
        private String archiveSchema = "warehouse_archive";

        public enum Mode { DROP, ARCHIVE }

        public Duration getMaxAge() { return maxAge; }
        public void setMaxAge(Duration maxAge) { this.maxAge = maxAge; }
        public Mode getMode() { return mode; }
        public void setMode(Mode mode) { this.mode = mode; }
        public String getArchiveSchema() { return archiveSchema; }
        public void setArchiveSchema(String archiveSchema) { this.archiveSchema = archiveSchema; }
    }

    public Path getInputDir() { return inputDir; }
    public void setInputDir(Path inputDir) { this.inputDir = inputDir; }
    public String getActivityFiles() { return activityFiles; }
    public void setActivityFiles(String activityFiles) { this.activityFiles = activityFiles; }
    public String getCustomerFiles() { return customerFiles; }
    public void setCustomerFiles(String customerFiles) { this.customerFiles = customerFiles; }
    public String getGameFiles() { return gameFiles; }
    public void setGameFiles(String gameFiles) { this.gameFiles = gameFiles; }
    public String getEncoding() { return encoding; }
    public void setEncoding(String encoding) { this.encoding = encoding; }
    public char getDelimiter() { return delimiter; }
    public void setDelimiter(char delimiter) { this.delimiter = delimiter; }
    public char getQuote() { return quote; }
    public void setQuote(char quote) { this.quote = quote; }
    public int getMaxRecordLines() { return maxRecordLines; }
    public void setMaxRecordLines(int maxRecordLines) { this.maxRecordLines = maxRecordLines; }
    public String getZone() { return zone; }
    public void setZone(String zone) { this.zone = zone; }
    public List<String> getDateTimeFormats() { return dateTimeFormats; }
    public void setDateTimeFormats(List<String> dateTimeFormats) { this.dateTimeFormats = dateTimeFormats; }
    public List<String> getDateFormats() { return dateFormats; }
    public void setDateFormats(List<String> dateFormats) { this.dateFormats = dateFormats; }
    /** The casino-activity contract with this app's max-win-multiplier merged in. */
    Contract casinoContract() {
        Map<String, BigDecimal> types = new java.util.LinkedHashMap<>();
        maxWinMultiplier.forEach((type, m) -> {
            if (m == null || m.signum() <= 0) {
                throw new IllegalArgumentException("warehouse-etl.max-win-multiplier." + type + " must be positive, not " + m);
            }
            types.put(type.strip().toLowerCase(java.util.Locale.ROOT), m);
        });
        Contract casino = ContractRepository.at(contractsLocation).get("casino-activity", ContractRepository.LATEST);
        return types.isEmpty() ? casino : casino.withParameters(Map.of("max-win-multiplier", types));
    }

    public String getContractsLocation() { return contractsLocation; }
    public void setContractsLocation(String contractsLocation) { this.contractsLocation = contractsLocation; }

    public Map<String, BigDecimal> getMaxWinMultiplier() { return maxWinMultiplier; }
    public void setMaxWinMultiplier(Map<String, BigDecimal> maxWinMultiplier) { this.maxWinMultiplier = maxWinMultiplier; }
    public int getChunkSize() { return chunkSize; }
    public void setChunkSize(int chunkSize) { this.chunkSize = chunkSize; }
    public String getLoadWorkMem() { return loadWorkMem; }
    public void setLoadWorkMem(String loadWorkMem) {
        if (loadWorkMem == null || !loadWorkMem.strip().matches("\\d{1,7}\\s*(kB|MB|GB)")) {
            throw new IllegalArgumentException("warehouse-etl.load-work-mem must be a size such as 64MB or 1GB (kB, MB or GB), not '"
                    + loadWorkMem + "'");
        }
        this.loadWorkMem = loadWorkMem.strip().replace(" ", "");
    }
    public String getStagingSchema() { return stagingSchema; }
    public void setStagingSchema(String stagingSchema) { this.stagingSchema = stagingSchema; }
    public String getWarehouseSchema() { return warehouseSchema; }
    public void setWarehouseSchema(String warehouseSchema) { this.warehouseSchema = warehouseSchema; }
    public Api getApi() { return api; }
    public Retention getRetention() { return retention; }
    public int getFailAfterChunks() { return failAfterChunks; }
    public void setFailAfterChunks(int failAfterChunks) { this.failAfterChunks = failAfterChunks; }
}
