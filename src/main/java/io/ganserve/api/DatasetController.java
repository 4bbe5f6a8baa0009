package io.ganserve.api;

import io.ganserve.data.DatasetImporter;
import io.ganserve.data.DatasetLibrary;
import io.ganserve.data.DatasetSummary;
import io.ganserve.data.UploadTooLargeException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/datasets")
@Tag(name = "datasets", description = "Built-in datasets, uploads and image folders")
class DatasetController {

    private final DatasetLibrary library;

    DatasetController(DatasetLibrary library) {
        this.library = library;
    }

    @GetMapping
    @Operation(summary = "Every dataset a job can name: built-in ones first, then uploads and folders by name")
    @ApiResponse(responseCode = "200", description = "every dataset")
    List<DatasetSummary> list() {
        return library.list();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One dataset: kind, source, whether it is available, images, classes")
    @ApiResponse(responseCode = "200", description = "the dataset")
    @ApiResponse(responseCode = "404", description = "no such dataset")
    DatasetSummary get(@PathVariable String name) {
        return library.describe(name);
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload a dataset",
            description = "file: a zip of PNG/JPEG images (flat, or one folder per class, optionally inside one folder), "
                    + "or an IDX images file (*-images-idx3-ubyte, optionally gzipped) with an optional IDX labels file "
                    + "in labels. Checked in full before anything becomes visible; then usable as {\"dataset\": name} "
                    + "in POST /jobs.")
    @ApiResponse(responseCode = "201", description = "imported; Location names the dataset")
    @ApiResponse(responseCode = "400", description = "a bad name or a file breaking a rule (field and rule name both), "
            + "or a multipart body that does not parse")
    @ApiResponse(responseCode = "409", description = "a dataset of that name exists")
    @ApiResponse(responseCode = "413", description = "a part larger than ganserve.datasets.upload.max-upload-bytes, "
            + "or images that would decode to more than the upload limits allow (field names the part)")
    @ApiResponse(responseCode = "415", description = "the body is not multipart/form-data")
    @ApiResponse(responseCode = "507", description = "no room on the disk for the dataset")
    ResponseEntity<DatasetSummary> upload(
            @Parameter(description = "the dataset's name: [a-z0-9][a-z0-9-]{0,63}, not a built-in one")
            @RequestParam(required = false) String name,
            @RequestPart(required = false) MultipartFile file,
            @RequestPart(required = false) MultipartFile labels) {
        long limit = library.uploadLimits().maxUploadBytes();
        for (MultipartFile part : new MultipartFile[] {file, labels}) {
            if (part != null && part.getSize() > limit) {
                throw new UploadTooLargeException(part.getName(), "is larger than " + limit
                        + " bytes (ganserve.datasets.upload.max-upload-bytes)");
            }
        }
        try (InputStream fileBytes = file == null ? null : file.getInputStream();
             InputStream labelBytes = labels == null ? null : labels.getInputStream()) {
            DatasetSummary created = library.upload(name,
                    fileBytes == null ? null : new DatasetImporter.Part(file.getOriginalFilename(), fileBytes),
                    labelBytes == null ? null : new DatasetImporter.Part(labels.getOriginalFilename(), labelBytes));
            return ResponseEntity.created(URI.create("/datasets/" + created.name())).body(created);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded parts", e);
        }
    }
}
