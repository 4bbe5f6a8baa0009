package io.ganserve.api;

import io.ganserve.data.DatasetUnavailableException;
import io.ganserve.sampling.DatasetPreview;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Real samples of a dataset, for a person deciding what to train on. */
@RestController
@Tag(name = "datasets", description = "Datasets a job can name, and uploads")
class DatasetPreviewController {

    private final DatasetPreview previews;

    DatasetPreviewController(DatasetPreview previews) {
        this.previews = previews;
    }

    /** @param data one [x, y] (or longer) array per point */
    public record RealPoints(String dataset, List<Integer> shape, float[][] data) {}

    @GetMapping("/datasets/{name}/points")
    @Operation(summary = "2,000 real points of a point dataset (always the same ones), to plot generated points against")
    @ApiResponse(responseCode = "400", description = "the dataset holds images")
    @ApiResponse(responseCode = "404", description = "no such dataset")
    @ApiResponse(responseCode = "200", description = "real points of the dataset",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RealPoints.class)))
    RealPoints points(@PathVariable String name) {
        float[][] points;
        try {
            points = previews.realPoints(name);
        } catch (DatasetUnavailableException | IllegalArgumentException e) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND,
                    ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()), e);
        } catch (IllegalStateException images) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, images.getMessage()), images);
        }
        return new RealPoints(name, List.of(points.length, points.length == 0 ? 0 : points[0].length), points);
    }

    @GetMapping("/datasets/{name}/preview.png")
    @Operation(summary = "Real images of a dataset in a grid (a row per class when labelled), or its points in a "
            + "scatter plot", description = "Drawn from the held-out split where there is one; kept after the first request.")
    @ApiResponse(responseCode = "200", description = "a PNG",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "no such dataset, or it is not available")
    ResponseEntity<byte[]> preview(@PathVariable String name) {
        byte[] png;
        try {
            png = previews.png(name);
        } catch (DatasetUnavailableException | IllegalArgumentException e) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND,
                    ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()), e);
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePrivate()).body(png);
    }
}
