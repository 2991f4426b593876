/**
 * The replay tool: publishes users.csv and events.csv into Kafka.
 *
 * <ul>
 *   <li>Reading: {@link com.vizsprints.streams.replay.UsersCsv} and
 *       {@link com.vizsprints.streams.replay.EventsCsv} stream a file row by row through
 *       {@link com.vizsprints.streams.replay.CsvRecords}, giving a record per valid row (with its
 *       position among the valid rows) and a {@link com.vizsprints.streams.replay.RejectedRow}
 *       per malformed one. No Kafka is involved.</li>
 *   <li>Publishing: {@link com.vizsprints.streams.replay.TopicPublisher} creates the missing
 *       topics and sends records keyed by user_id as JSON.</li>
 *   <li>Running: {@link com.vizsprints.streams.replay.ReplayTool#run(ReplayOptions)} as a
 *       library, {@link com.vizsprints.streams.replay.ReplayApp} as a command line.</li>
 * </ul>
 */
package com.vizsprints.streams.replay;
