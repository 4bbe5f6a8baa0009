/** Disk and database failures as the rest of the service needs to see them; imports no Spring web classes. */
package io.ganserve.storage;
