/** JSON helpers shared by the emulators' HTTP layer and journals. */
package io.cqrsworkers.localaws.json;
